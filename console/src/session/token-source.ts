/**
 * Where the console gets an app token. In development the user pastes one minted with
 * `npm run token -- --app <id>`; with an identity provider configured, the user signs in there
 * (oidc-token-source.ts), and that source also renews the token before it expires.
 */
export interface TokenSource {
  /** Whether the sign-in form asks the user to paste a token. */
  readonly asksForPastedToken: boolean;
  /** Resolves to a raw app token (a JWT), or rejects with a SignInError; a redirecting source never resolves. */
  acquire(pasted: string): Promise<string>;
  /** A fresh token without the user, while the current one is still good; absent where the source cannot. */
  renew?(): Promise<string>;
  /** Forgets what the source keeps beside the token (sign-out). */
  forget?(): void;
}

export class SignInError extends Error {
  constructor(readonly reason: 'notAToken' | 'expired' | 'signInRefused') {
    super(reason);
  }
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export const pastedTokenSource: TokenSource = {
  asksForPastedToken: true,
  async acquire(pasted) {
    const token = pasted.trim().replace(/^Bearer\s+/i, '');
    if (!JWT_SHAPE.test(token)) throw new SignInError('notAToken');
    return token;
  },
};
