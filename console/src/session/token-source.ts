/**
 * Where the console gets an app token. In development the user pastes one minted with
 * `npm run token -- --app <id>`; an identity provider's sign-in (a redirect and a code exchange) would be
 * another TokenSource, and nothing else in the console would change.
 */
export interface TokenSource {
  /** Whether the sign-in form asks the user to paste a token. */
  readonly asksForPastedToken: boolean;
  /** Resolves to a raw app token (a JWT), or rejects with a SignInError. */
  acquire(pasted: string): Promise<string>;
}

export class SignInError extends Error {
  constructor(readonly reason: 'notAToken' | 'expired') {
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
