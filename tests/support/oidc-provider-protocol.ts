/** What the test process and the OIDC provider's process (`oidc-provider-server.mts`) say to each other. */

/** A service app: it gets its tokens by client credentials (client_secret_basic). */
export interface OidcServiceClient {
  clientId: string;
  secret: string;
}

/** A browser app (a public client): citizens sign in to it by authorization code with PKCE. */
export interface OidcBrowserClient {
  clientId: string;
  redirectUris: string[];
  /** Also gets a refresh token (rotated on each use), to renew its access token without the user (the console). */
  renewable?: boolean;
}

/** An account at the provider: a citizen whose ID number the provider may or may not have verified. */
export interface OidcCitizen {
  accountId: string;
  login: string;
  password: string;
  idNumber: string;
  idNumberVerified: boolean;
}

export interface OidcProviderOptions {
  /** GovGraph's resource indicator: the audience of its tokens (the gateway's APP_TOKEN_AUDIENCE), an absolute URI. */
  resource: string;
  serviceClients: OidcServiceClient[];
  browserClients: OidcBrowserClient[];
  citizens: OidcCitizen[];
  accessTokenTtlSeconds: number;
  /** The issuer's name; by default its own URL. */
  issuer?: string;
}

export type ParentMessage = { type: 'start'; options: OidcProviderOptions } | { type: 'rotate' } | { type: 'stats' };
export type ChildMessage = { type: 'ready'; issuer: string; port: number } | { type: 'rotated'; kid: string } | { type: 'stats'; jwksFetches: number };
