/** 登录: no token, no data. The token comes from a TokenSource: pasted in development, or the identity provider's sign-in. */
import { useState } from 'react';
import { useI18n } from './i18n';
import { sessionFromToken, type Session } from './session/session';
import { SignInError, type TokenSource } from './session/token-source';

export function SignIn({ source, problem: earlier, onSignedIn }: { source: TokenSource; problem?: SignInError['reason'] | undefined; onSignedIn(session: Session): void }) {
  const { t } = useI18n();
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<SignInError['reason'] | undefined>(earlier);
  return (
    <section aria-labelledby="sign-in-title" className="panel sign-in">
      <h1 id="sign-in-title">{t('signIn')}</h1>
      <p>{t(source.asksForPastedToken ? 'signInIntro' : 'signInWithProvider')}</p>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          try {
            onSignedIn(sessionFromToken(await source.acquire(pasted)));
          } catch (error) {
            setProblem(error instanceof SignInError ? error.reason : 'notAToken');
          }
        }}
      >
        {source.asksForPastedToken && (
          <label>
            {t('token')}
            <textarea name="token" rows={5} value={pasted} onChange={(e) => setPasted(e.target.value)} required spellCheck={false} autoComplete="off" aria-invalid={problem !== undefined} aria-describedby={problem ? 'sign-in-problem' : undefined} />
          </label>
        )}
        {problem && (
          <p id="sign-in-problem" role="alert" className="error">
            {t(problem)}
          </p>
        )}
        <button type="submit">{t('signIn')}</button>
      </form>
    </section>
  );
}
