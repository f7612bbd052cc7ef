/**
 * 查询浏览器: GraphiQL, bundled, as the signed-in app — its token on every request, so it sees (through
 * introspection) only its own schema and is audited like the console's other reads. The purpose and case
 * are the Headers pane's (X-Purpose, X-Case-Id), which starts with the purpose chosen in the console.
 */
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadSession, type Session } from '../session/session';
import '../styles.css';

/** The pane's headers that carry a value; an emptied one is left out rather than sent blank. */
function paneHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).flatMap(([name, value]) => (value === null || value === undefined || String(value).trim() === '' ? [] : [[name, String(value)]])));
}

function fetcherFor(session: Session) {
  return async (params: unknown, options?: { headers?: Record<string, unknown> }) => {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}`, ...paneHeaders(options?.headers) },
      body: JSON.stringify(params),
    });
    return response.json();
  };
}

const BACK = (
  <a href="/console/" className="explorer-back">
    ← 控制台 Console
  </a>
);

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

function Explorer({ session }: { session: Session }) {
  const headers = JSON.stringify({ 'X-Purpose': session.purpose ?? '', 'X-Case-Id': '' }, null, 2);
  return (
    <GraphiQL fetcher={fetcherFor(session)} defaultHeaders={headers} defaultEditorToolsVisibility="headers" defaultQuery={`# ${session.app}: purpose and case go in the Headers pane below.\n{ __typename }\n`}>
      <GraphiQL.Logo>
        {BACK} · {session.app}
      </GraphiQL.Logo>
    </GraphiQL>
  );
}

const session = loadSession();
createRoot(document.getElementById('root')!).render(<StrictMode>{session ? <Explorer session={session} /> : <SignedOut />}</StrictMode>);
