/**
 * Serves the web console (the Vite build in console/dist) at /console/. The console reads only through
 * /graphql with the signed-in app's token, so it is no side channel; the strict Content-Security-Policy
 * keeps its pages from loading or sending anything to another origin. Files are served in the Brotli or
 * gzip copy the build wrote beside them (console/precompress.mts) when the browser accepts it; the files
 * named by their content hash are cached for a year, the pages and settings never.
 */
import { existsSync, readdirSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import express from 'express';
import Negotiator from 'negotiator';
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

/** Vite writes every bundled file here under a name with its content hash: a new build means new names. */
const HASHED_DIR = 'assets';
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Pages may be kept but are checked with the server (ETag) before each use, so a new build shows at once. */
const REVALIDATE = 'no-cache';
/** The copies the build writes, in the order the gateway prefers them when the browser takes both. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** Every file of the build by its URL path (`/assets/x.js`): only these are ever served compressed. */
function filesOf(dir: string): Set<string> {
  const paths = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `/${relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/')}`);
  return new Set(paths);
}

/** negotiator 1.1 breaks ties by the server's preference; @types/negotiator 0.6 predates the option. */
type PreferringNegotiator = { encodings(available: string[], options: { preferred: string[] }): string[] };

/** Points the request at the compressed copy the browser accepts best, if the build wrote one. */
function compressedCopies(dir: string): express.RequestHandler {
  const files = filesOf(dir);
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = req.path.endsWith('/') ? `${req.path}index.html` : req.path;
    const copies = ENCODINGS.filter((encoding) => files.has(path + encoding.suffix));
    if (copies.length === 0) return next();
    res.vary('accept-encoding');
    // Where the browser likes two equally, the smaller copy (Brotli) wins, whatever order it listed them in.
    const names = copies.map((c) => c.name);
    const [best] = (new Negotiator(req) as PreferringNegotiator).encodings([...names, 'identity'], { preferred: names });
    const chosen = copies.find((encoding) => encoding.name === best);
    if (!chosen) return next();
    res.setHeader('content-encoding', chosen.name);
    res.type(extname(path));
    req.url = path + chosen.suffix;
    next();
  };
}

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
  // Settings change with the gateway's configuration, not the build: never kept (no-store, as every answer starts).
  router.get('/settings.json', (_req, res) => void res.json({ explorer: settings.explorer, ...(settings.signIn && { signIn: settings.signIn }) }));
  if (!settings.explorer) {
    router.get('/explorer.html', (_req, res) => void res.status(404).type('text/plain').send('The explorer is turned off (CONSOLE_EXPLORER).\n'));
  }
  if (!built) {
    router.use((_req, res) => void res.status(503).type('text/plain').send('The console is not built: run npm run build:console.\n'));
    return router;
  }
  router.use(compressedCopies(settings.dir));
  router.use(
    express.static(settings.dir, {
      index: 'index.html',
      dotfiles: 'ignore',
      setHeaders: (res, file) => res.setHeader('cache-control', relative(settings.dir, file).startsWith(HASHED_DIR + sep) ? IMMUTABLE : REVALIDATE),
    }),
  );
  return router;
}
