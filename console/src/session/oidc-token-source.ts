/**
 * Signing in at the platform's identity provider (OpenID Connect, authorization code with PKCE, RFC 7636):
 * the console sends the user to the provider, comes back with a code, exchanges it for an access token for
 * the graph (the resource, RFC 8707) and a refresh token, and renews the access token with the refresh
 * token before it expires. Tokens stay in the tab's sessionStorage; only the verifier and state cross the
 * round trip. The provider's origin is the one other origin the console's CSP lets it call.
 */
import type { SignInSettings } from '../console-settings';
import { SignInError, type TokenSource } from './token-source';

const PENDING_KEY = 'govgraph.console.pending-sign-in';
const REFRESH_KEY = 'govgraph.console.refresh-token';

interface Pending {
  verifier: string;
  state: string;
  /** The page the user signed in from (#/trail), restored on return. */
  hash: string;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
}

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const randomText = (size: number) => base64url(crypto.getRandomValues(new Uint8Array(size)));

export interface OidcTokenSource extends TokenSource {
  /** On the way back from the provider (the URL carries a code): the access token; otherwise undefined. */
  completeSignIn(): Promise<string | undefined>;
}

export function oidcTokenSource(settings: SignInSettings): OidcTokenSource {
  const redirectUri = `${location.origin}${location.pathname}`;
  let discovery: Promise<Discovery> | undefined;
  const discover = () =>
    (discovery ??= fetch(new URL('.well-known/openid-configuration', settings.issuer.replace(/\/?$/, '/'))).then(async (response) => {
      if (!response.ok) throw new SignInError('signInRefused');
      return (await response.json()) as Discovery;
    }));

  /** A token request; keeps the (rotated) refresh token and answers the access token. */
  async function tokens(parameters: Record<string, string>): Promise<string> {
    const response = await fetch((await discover()).token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: settings.clientId, ...parameters }),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string };
    if (!response.ok || !body.access_token) throw new SignInError('signInRefused');
    if (body.refresh_token) sessionStorage.setItem(REFRESH_KEY, body.refresh_token);
    return body.access_token;
  }

  return {
    asksForPastedToken: false,

    async acquire() {
      const verifier = randomText(32);
      const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
      const pending: Pending = { verifier, state: randomText(16), hash: location.hash };
      sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
      const url = new URL((await discover()).authorization_endpoint);
      url.search = new URLSearchParams({
        client_id: settings.clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'openid govgraph',
        resource: settings.resource,
        state: pending.state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }).toString();
      location.assign(url);
      return new Promise<string>(() => undefined);
    },

    async completeSignIn() {
      const answer = new URLSearchParams(location.search);
      if (!answer.has('code') && !answer.has('error')) return undefined;
      const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as Pending | null;
      sessionStorage.removeItem(PENDING_KEY);
      history.replaceState(null, '', `${redirectUri}${pending?.hash ?? ''}`);
      // The state ties the answer to this tab's request; the issuer (RFC 9207) to this provider.
      if (answer.has('error') || !pending || answer.get('state') !== pending.state) throw new SignInError('signInRefused');
      if (answer.get('iss') !== (await discover()).issuer) throw new SignInError('signInRefused');
      return tokens({ grant_type: 'authorization_code', redirect_uri: redirectUri, code: answer.get('code')!, code_verifier: pending.verifier });
    },

    async renew() {
      const refreshToken = sessionStorage.getItem(REFRESH_KEY);
      if (!refreshToken) throw new SignInError('signInRefused');
      return tokens({ grant_type: 'refresh_token', refresh_token: refreshToken, resource: settings.resource });
    },

    forget() {
      sessionStorage.removeItem(REFRESH_KEY);
    },
  };
}
