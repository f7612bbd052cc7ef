/**
 * A real OpenID Connect provider (oidc-provider, which is ESM-only) run as a child process by
 * `oidc-provider.ts`, configured as GovGraph's identity provider is meant to be (docs/operations.md, "Tokens
 * in production"):
 *
 * - service apps get a token by client credentials; citizens sign in to a browser app by authorization
 *   code with PKCE (always required), through a minimal login page of its own (no consent page: the
 *   portal is first-party, and what it may read is its contract's business, not the citizen's);
 * - GovGraph is one resource (RFC 8707) whose access tokens are ES256-signed JWTs, shaped for the gateway
 *   by the `formats.customizers.jwt` hook: `sub` is the app (the OAuth client), and `operator` the signed-in
 *   citizen's ID number — only when the account's ID number is verified, and never in a client-credentials
 *   token. No request parameter reaches either claim.
 *
 * It talks to its parent over the IPC channel: `start` (options) → `ready` (issuer, port); `rotate` → a new
 * signing key replaces the old one in the same process and on the same port (the old one is gone from the
 * JWKS) → `rotated` (kid); `stats` → how often the JWKS was fetched.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors, type ClientMetadata, type Configuration, type JWK } from 'oidc-provider';
import type { OidcProviderOptions, ParentMessage, ChildMessage } from './oidc-provider-protocol.js';

/** The scope of GovGraph's resource: what it grants is the app's contract's to say, not a scope's. */
const GOVGRAPH_SCOPE = 'govgraph';

function send(message: ChildMessage): void {
  process.send!(message);
}

function signingKey(): JWK {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: randomUUID(), alg: 'ES256', use: 'sig' };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid: string, problem?: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>统一身份认证（测试）</title></head>
<body><h1>统一身份认证（测试）</h1>${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>账号 <input name="login" autocomplete="username" required></label>
<label>密码 <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">登录</button>
</form></body></html>`;
}

function reply(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 10_000) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function start(options: OidcProviderOptions, port: number): { issuer: string; handle(req: IncomingMessage, res: ServerResponse): void } {
  const issuer = options.issuer ?? `http://127.0.0.1:${port}`;
  const citizens = new Map(options.citizens.map((c) => [c.accountId, c]));
  const byLogin = new Map(options.citizens.map((c) => [c.login, c]));
  const clients: ClientMetadata[] = [
    ...options.serviceClients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.secret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic' as const,
    })),
    ...options.browserClients.map((c) => ({
      client_id: c.clientId,
      grant_types: c.renewable ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
      response_types: ['code'],
      redirect_uris: c.redirectUris,
      token_endpoint_auth_method: 'none' as const,
    })),
  ];
  // A browser app's page may call the token endpoint from the origin of its redirect URIs, and only from there.
  const origins = new Map(options.browserClients.map((c) => [c.clientId, new Set(c.redirectUris.map((u) => new URL(u).origin))]));

  const configure = (key: JWK): Configuration => ({
    clients,
    jwks: { keys: [key] },
    cookies: { keys: [randomUUID()] },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    pkce: { required: () => true },
    // A client allowed the refresh_token grant gets a refresh token without asking for offline_access: a
    // first-party console renews its short-lived token while its tab is open (a public client's is rotated).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    clientBasedCORS: (_ctx, origin, client) => origins.get(client.clientId)?.has(origin) ?? false,
    findAccount: (_ctx, sub) => (citizens.has(sub) ? { accountId: sub, claims: () => ({ sub }) } : undefined),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // The portal is first-party: a signed-in citizen is not asked to consent to it reading the graph.
    loadExistingGrant: async (ctx) => {
      const clientId = ctx.oidc.client!.clientId;
      const existing = ctx.oidc.session!.grantIdFor(clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid');
      grant.addResourceScope(options.resource, GOVGRAPH_SCOPE);
      await grant.save();
      ctx.oidc.session!.grantIdFor(clientId, grant.jti);
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== options.resource) throw new errors.InvalidTarget();
          return { scope: GOVGRAPH_SCOPE, audience: options.resource, accessTokenFormat: 'jwt', accessTokenTTL: options.accessTokenTtlSeconds, jwt: { sign: { alg: 'ES256' } } };
        },
      },
    },
    formats: {
      customizers: {
        // GovGraph's token profile: the subject is the app; the operator is the citizen, if verified.
        jwt: (_ctx, token, jwt) => {
          if (token.resourceServer?.identifier() !== options.resource) return;
          const { payload } = jwt;
          payload['sub'] = token.clientId;
          delete payload['operator'];
          const citizen = token.accountId === undefined ? undefined : citizens.get(token.accountId);
          if (citizen?.idNumberVerified) payload['operator'] = citizen.idNumber;
        },
      },
    },
  });

  let provider!: Provider;
  let callback!: ReturnType<Provider['callback']>;
  const rotate = () => {
    const key = signingKey();
    provider = new Provider(issuer, configure(key));
    callback = provider.callback();
    return key.kid!;
  };
  rotate();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, submitted: boolean) => {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name !== 'login') return reply(res, 400, `<p>This provider asks only for a login, not for ${escapeHtml(details.prompt.name)}.</p>`);
    if (!submitted) return reply(res, 200, loginPage(uid));
    if (req.method !== 'POST') return reply(res, 405, '<p>POST the login form.</p>');
    const form = await readForm(req);
    const citizen = byLogin.get(form.get('login') ?? '');
    if (!citizen || citizen.password !== form.get('password')) return reply(res, 401, loginPage(uid, '账号或密码不正确'));
    await provider.interactionFinished(req, res, { login: { accountId: citizen.accountId } }, { mergeWithLastSubmission: false });
  };

  let jwksFetches = 0;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    if (path === '/jwks') jwksFetches += 1;
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path);
    if (!match) return void callback(req, res);
    interaction(req, res, match[1]!, match[2] !== undefined).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      reply(res, error instanceof errors.SessionNotFound ? 400 : 500, `<p>${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`);
    });
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'rotate') send({ type: 'rotated', kid: rotate() });
    if (message.type === 'stats') send({ type: 'stats', jwksFetches });
  });
  return { issuer, handle };
}

process.once('message', (message: ParentMessage) => {
  if (message.type !== 'start') throw new Error(`expected start, got ${message.type}`);
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => (handle ? handle(req, res) : res.writeHead(503).end()));
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    const running = start(message.options, port);
    handle = running.handle;
    send({ type: 'ready', issuer: running.issuer, port });
  });
  // The parent going away ends the provider too.
  process.on('disconnect', () => process.exit(0));
});
