/**
 * Serves the web console (the Vite build in console/dist) at /console/. The console reads only through
 * /graphql with the signed-in app's token, so it is no side channel; the strict Content-Security-Policy
 * keeps its pages from loading or sending anything to another origin.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import type { Logger } from 'pino';

export interface ConsoleSettings {
  enabled: boolean;
  /** The GraphiQL explorer page; on in development, off in production unless configured. */
  explorer: boolean;
  /** The console's build output. */
  dir: string;
  /** Sign-in at an OpenID Connect provider (code with PKCE, renewed silently); absent, a token is pasted. */
  signIn?: ConsoleSignIn;
}

export interface ConsoleSignIn {
  issuer: string;
  /** The console's client id at the provider (a public client: the app whose contract it reads under). */
  clientId: string;
  /** The resource indicator its tokens are for: the gateway's APP_TOKEN_AUDIENCE. */
  resource: string;
}

/**
 * GraphiQL's stylesheet carries its fonts and icons as data: URIs; nothing comes from another origin, but
 * for the identity provider the console signs in at, whose discovery and token endpoints it calls.
 */
export function consoleCsp(signIn?: ConsoleSignIn): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    signIn ? `connect-src 'self' ${new URL(signIn.issuer).origin}` : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CONSOLE_CSP = consoleCsp();

export const CONSOLE_PATH = '/console';

export function consoleRouter(settings: ConsoleSettings, logger: Logger): express.Router {
  const router = express.Router();
  const built = existsSync(join(settings.dir, 'index.html'));
  if (!built) logger.warn({ dir: settings.dir }, 'the console is not built: run npm run build:console');
  const csp = consoleCsp(settings.signIn);
  router.use((_req, res, next) => {
    res.setHeader('content-security-policy', csp);
    res.setHeader('referrer-policy', 'no-referrer');
    next();
  });
  router.get('/settings.json', (_req, res) => void res.json({ explorer: settings.explorer, ...(settings.signIn && { signIn: settings.signIn }) }));
  if (!settings.explorer) {
    router.get('/explorer.html', (_req, res) => void res.status(404).type('text/plain').send('The explorer is turned off (CONSOLE_EXPLORER).\n'));
  }
  if (!built) {
    router.use((_req, res) => void res.status(503).type('text/plain').send('The console is not built: run npm run build:console.\n'));
    return router;
  }
  router.use(express.static(settings.dir, { index: 'index.html', dotfiles: 'ignore' }));
  return router;
}
