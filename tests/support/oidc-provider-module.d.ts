/**
 * The part of oidc-provider 9's API the test provider uses. @types/oidc-provider pulls @types/koa, whose
 * types do not compile against the content-disposition 2 that express 5 installs, so the few members used
 * are declared here (oidc-provider ships no types of its own).
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type JWK = { kid?: string; alg?: string; use?: string; kty?: string; crv?: string; x?: string; y?: string; d?: string };

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    grant_types: string[];
    response_types: string[];
    redirect_uris: string[];
    token_endpoint_auth_method: 'client_secret_basic' | 'none';
  }

  interface Client {
    readonly clientId: string;
    grantTypeAllowed(grantType: string): boolean;
  }

  interface ResourceServerInstance {
    identifier(): string;
  }

  /** An access token or a client-credentials token being issued. */
  interface IssuedToken {
    readonly clientId: string;
    readonly accountId?: string;
    readonly resourceServer?: ResourceServerInstance;
  }

  interface Grant {
    readonly jti: string;
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  interface Session {
    readonly accountId?: string;
    grantIdFor(clientId: string): string | undefined;
    grantIdFor(clientId: string, grantId: string): void;
  }

  export interface KoaContextWithOIDC {
    oidc: { client?: Client; session?: Session; provider: Provider };
  }

  export interface Interaction {
    uid: string;
    prompt: { name: string };
  }

  export interface ResourceServer {
    scope: string;
    audience: string;
    accessTokenFormat: 'jwt' | 'opaque';
    accessTokenTTL: number;
    jwt: { sign: { alg: 'ES256' } };
  }

  export interface Configuration {
    clients: ClientMetadata[];
    jwks: { keys: JWK[] };
    cookies: { keys: string[] };
    clientDefaults: { id_token_signed_response_alg: string };
    pkce: { required: (ctx: KoaContextWithOIDC, client: Client) => boolean };
    issueRefreshToken: (ctx: KoaContextWithOIDC, client: Client) => Promise<boolean>;
    clientBasedCORS: (ctx: KoaContextWithOIDC, origin: string, client: Client) => boolean;
    findAccount: (ctx: KoaContextWithOIDC, sub: string) => { accountId: string; claims: () => Record<string, unknown> } | undefined;
    interactions: { url: (ctx: KoaContextWithOIDC, interaction: Interaction) => string };
    loadExistingGrant: (ctx: KoaContextWithOIDC) => Promise<Grant | undefined>;
    features: {
      devInteractions: { enabled: boolean };
      clientCredentials: { enabled: boolean };
      resourceIndicators: {
        enabled: boolean;
        defaultResource: (ctx: KoaContextWithOIDC) => string;
        useGrantedResource: (ctx: KoaContextWithOIDC) => boolean;
        getResourceServerInfo: (ctx: KoaContextWithOIDC, resourceIndicator: string, client: Client) => ResourceServer;
      };
    };
    formats: {
      customizers: {
        jwt: (ctx: KoaContextWithOIDC, token: IssuedToken, jwt: { header?: Record<string, unknown>; payload: Record<string, unknown> }) => void;
      };
    };
  }

  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    readonly Grant: { new (properties: { clientId: string; accountId: string }): Grant; find(id: string): Promise<Grant | undefined> };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: { login: { accountId: string } }, options: { mergeWithLastSubmission: boolean }): Promise<void>;
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error;
    SessionNotFound: new (description?: string) => Error;
  };
}
