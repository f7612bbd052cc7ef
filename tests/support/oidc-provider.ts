/**
 * A real OpenID Connect provider for tests, on a free loopback port in a child process (oidc-provider is
 * ESM-only; `oidc-provider-server.mts` says how it is configured), and the client side of its two flows
 * driven over plain HTTP: client credentials for a service app, and a citizen's sign-in to a browser app by
 * authorization code with PKCE through the provider's login page, as a browser would go (redirects,
 * cookies, the form). A browser test can use the same provider and sign in from a page instead.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ChildMessage, OidcBrowserClient, OidcCitizen, OidcProviderOptions, OidcServiceClient, ParentMessage } from './oidc-provider-protocol';

export type { OidcBrowserClient, OidcCitizen, OidcServiceClient } from './oidc-provider-protocol';

/** The scope GovGraph's resource grants: a browser app asks for it beside openid. */
export const GOVGRAPH_SCOPE = 'govgraph';

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  id_token?: string;
}

/** What a token endpoint or a sign-in answered when it did not issue tokens. */
export class OidcRefusal extends Error {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
  ) {
    super(`${error}${description ? `: ${description}` : ''}`);
  }
}

export interface SignIn {
  clientId: string;
  redirectUri: string;
  login: string;
  password: string;
  /** Sent without a PKCE challenge (to see it refused). */
  withoutPkce?: boolean;
}

export interface RunningOidcProvider {
  issuer: string;
  jwksUrl: string;
  /** GovGraph's resource indicator: the audience of its tokens. */
  resource: string;
  /** The gateway's settings that make it trust this provider for app tokens (docs/configuration.md). */
  gatewayEnvironment: { APP_JWKS_URL: string; APP_TOKEN_ISSUER: string; APP_TOKEN_AUDIENCE: string };
  /** A service app's token, by client credentials. */
  clientCredentials(client: OidcServiceClient, parameters?: Record<string, string>): Promise<TokenResponse>;
  /** A citizen's sign-in up to the authorization code the browser app receives, with the PKCE verifier it holds. */
  authorizationCode(signIn: SignIn): Promise<{ code: string; verifier: string }>;
  /** The browser app's code exchange (a public client: no secret, the verifier instead). */
  exchangeCode(exchange: { clientId: string; redirectUri: string; code: string; verifier: string }): Promise<TokenResponse>;
  /** Both: what the browser app holds once the citizen has signed in. */
  signIn(signIn: SignIn): Promise<TokenResponse>;
  /** Replaces the signing key with a new one: the old one leaves the JWKS. Returns the new kid. */
  rotateKeys(): Promise<string>;
  /** How often the provider's JWKS has been fetched. */
  jwksFetches(): Promise<number>;
  stop(): Promise<void>;
}

export interface OidcProviderSetup {
  resource: string;
  serviceClients?: OidcServiceClient[];
  browserClients?: OidcBrowserClient[];
  citizens?: OidcCitizen[];
  accessTokenTtlSeconds?: number;
  issuer?: string;
}

const SERVER = join(__dirname, 'oidc-provider-server.mts');

/** The child's next message of a type. */
function nextMessage<T extends ChildMessage['type']>(child: ChildProcess, type: T, output: () => string): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage) => {
      if (message.type !== type) return;
      child.off('message', onMessage).off('exit', onExit);
      resolve(message as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`the OIDC provider exited (${code}) before answering ${type}:\n${output()}`));
    };
    child.on('message', onMessage).once('exit', onExit);
  });
}

/** The cookies a browser would keep for the provider's origin (one origin, so paths and domains do not matter here). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) <= Date.now()) || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

async function tokenAnswer(response: Response): Promise<TokenResponse> {
  const body = (await response.json()) as Partial<TokenResponse> & { error?: string; error_description?: string };
  if (response.status !== 200 || !body.access_token) throw new OidcRefusal(body.error ?? `HTTP ${response.status}`, body.error_description);
  return body as TokenResponse;
}

export async function startOidcProvider(setup: OidcProviderSetup): Promise<RunningOidcProvider> {
  const options: OidcProviderOptions = {
    resource: setup.resource,
    serviceClients: setup.serviceClients ?? [],
    browserClients: setup.browserClients ?? [],
    citizens: setup.citizens ?? [],
    accessTokenTtlSeconds: setup.accessTokenTtlSeconds ?? 300,
    ...(setup.issuer !== undefined && { issuer: setup.issuer }),
  };
  const child = fork(SERVER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json' });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const ask = <T extends ChildMessage['type']>(message: ParentMessage, answer: T) => {
    const answered = nextMessage(child, answer, () => output);
    child.send(message);
    return answered;
  };
  const { issuer, port } = await ask({ type: 'start', options }, 'ready');
  const base = `http://127.0.0.1:${port}`;

  const provider: RunningOidcProvider = {
    issuer,
    jwksUrl: `${base}/jwks`,
    resource: setup.resource,
    gatewayEnvironment: { APP_JWKS_URL: `${base}/jwks`, APP_TOKEN_ISSUER: issuer, APP_TOKEN_AUDIENCE: setup.resource },

    async clientCredentials(client, parameters = {}) {
      const response = await fetch(`${base}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret)}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', ...parameters }),
      });
      return tokenAnswer(response);
    },

    async authorizationCode(signIn) {
      const verifier = randomBytes(32).toString('base64url');
      const state = randomBytes(16).toString('base64url');
      const query = new URLSearchParams({
        client_id: signIn.clientId,
        redirect_uri: signIn.redirectUri,
        response_type: 'code',
        scope: `openid ${GOVGRAPH_SCOPE}`,
        resource: setup.resource,
        state,
        ...(!signIn.withoutPkce && { code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' }),
      });
      const jar = new CookieJar();
      const visit = async (url: string, init: RequestInit = {}) => {
        const response = await fetch(new URL(url, base), { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header() } });
        jar.take(response);
        return response;
      };
      // As a browser would: follow the provider's redirects, fill in its login form once, until a redirect leads back to the app.
      let url = new URL(`/auth?${query}`, base);
      let response = await visit(url.href);
      let loggedIn = false;
      for (let hops = 0; hops < 12; hops += 1) {
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
          url = new URL(location, url);
          if (url.href.startsWith(signIn.redirectUri)) return codeFrom(url, state, verifier);
          if (url.origin !== base) throw new Error(`redirected away to ${url.origin}`);
          response = await visit(url.href);
          continue;
        }
        const page = await response.text();
        if (response.status !== 200 || loggedIn || !/<form method="post" action="\/interaction\/[\w-]+\/login">/.test(page)) {
          throw new Error(`the provider answered ${response.status} where a redirect or its login form was expected: ${page.slice(0, 500)}`);
        }
        url = new URL(`${url.pathname}/login`, base);
        response = await visit(url.href, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ login: signIn.login, password: signIn.password }),
        });
        if (response.status === 401) throw new OidcRefusal('login_failed', 'the provider did not accept the login');
        loggedIn = true;
      }
      throw new Error('too many redirects');
    },

    async exchangeCode({ clientId, redirectUri, code, verifier }) {
      const response = await fetch(`${base}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, redirect_uri: redirectUri, code, code_verifier: verifier }),
      });
      return tokenAnswer(response);
    },

    async signIn(signIn) {
      const { code, verifier } = await provider.authorizationCode(signIn);
      return provider.exchangeCode({ clientId: signIn.clientId, redirectUri: signIn.redirectUri, code, verifier });
    },

    rotateKeys: async () => (await ask({ type: 'rotate' }, 'rotated')).kid,
    jwksFetches: async () => (await ask({ type: 'stats' }, 'stats')).jwksFetches,

    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };

  /** The code the provider sent the app back with, once the app has checked the state and the issuer (RFC 9207). */
  function codeFrom(callback: URL, state: string, verifier: string): { code: string; verifier: string } {
    const error = callback.searchParams.get('error');
    if (error) throw new OidcRefusal(error, callback.searchParams.get('error_description') ?? undefined);
    if (callback.searchParams.get('state') !== state) throw new Error('the state came back changed');
    if (callback.searchParams.get('iss') !== issuer) throw new Error('the authorization response names another issuer');
    const code = callback.searchParams.get('code');
    if (!code) throw new Error('the authorization response carries no code');
    return { code, verifier };
  }

  return provider;
}
