/**
 * 查询浏览器: GraphiQL, bundled, as the signed-in app — its token and purpose on every request, so it sees
 * (through introspection) only its own schema and is audited like the console's other reads.
 */
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadSession, type Session } from '../session/session';
import '../styles.css';

function fetcherFor(session: Session) {
  return async (params: unknown) => {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}`, ...(session.purpose && { 'x-purpose': session.purpose }) },
      body: JSON.stringify(params),
    });
    return response.json();
  };
}

function SignedOut() {
  return (
    <main className="panel sign-in">
      <h1>查询浏览器 Explorer</h1>
      <p>
        请先在 <a href="/console/">控制台</a> 登录。 Sign in on the <a href="/console/">console</a> first.
      </p>
    </main>
  );
}

const session = loadSession();
createRoot(document.getElementById('root')!).render(
  <StrictMode>{session ? <GraphiQL fetcher={fetcherFor(session)} defaultQuery={'# ' + session.app + ' · X-Purpose: ' + (session.purpose || '—') + '\n{ __typename }\n'} /> : <SignedOut />}</StrictMode>,
);
