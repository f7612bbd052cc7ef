// A portal page as a front-end team would write it with nothing but the browser: the citizen signs in by
// authorization code with PKCE (WebCrypto), the page exchanges the code itself, keeps the access token in
// memory only, and reads the citizen's own data from the gateway with fetch.
const settings = JSON.parse(document.getElementById('settings').textContent);
const redirectUri = location.origin + location.pathname;
const status = document.getElementById('status');
const problem = document.getElementById('problem');
const profile = document.getElementById('profile');
let accessToken;

const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const randomText = (size) => base64url(crypto.getRandomValues(new Uint8Array(size)));

async function discover() {
  const response = await fetch(new URL('.well-known/openid-configuration', settings.issuer.replace(/\/?$/, '/')));
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  return response.json();
}

async function signIn() {
  const verifier = randomText(32);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = randomText(16);
  // Only what the callback must check survives the round trip to the provider; never a token.
  sessionStorage.setItem('pending-sign-in', JSON.stringify({ verifier, state }));
  const { authorization_endpoint: endpoint } = await discover();
  const url = new URL(endpoint);
  url.search = new URLSearchParams({
    client_id: settings.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid govgraph',
    resource: settings.resource,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url);
}

async function finishSignIn(answer) {
  const pending = JSON.parse(sessionStorage.getItem('pending-sign-in') ?? 'null');
  sessionStorage.removeItem('pending-sign-in');
  history.replaceState(null, '', redirectUri);
  if (answer.get('error')) throw new Error(`sign-in refused: ${answer.get('error')}`);
  if (!pending || answer.get('state') !== pending.state) throw new Error('the state came back changed');
  const discovery = await discover();
  if (answer.get('iss') !== discovery.issuer) throw new Error('the answer names another issuer');
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: settings.clientId, redirect_uri: redirectUri, code: answer.get('code'), code_verifier: pending.verifier }),
  });
  const tokens = await response.json();
  if (!response.ok) throw new Error(`the code exchange was refused: ${tokens.error}`);
  accessToken = tokens.access_token;
  status.textContent = '已登录';
  profile.hidden = false;
}

async function readOwnProfile(idNumber) {
  let response;
  try {
    response = await fetch(settings.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}`, 'x-purpose': 'SELF_SERVICE' },
      body: JSON.stringify({ query: 'query OwnProfile($idNumber: IdNumber!) { person(idNumber: $idNumber) { name } }', variables: { idNumber } }),
    });
  } catch (error) {
    // What a page sees of a request its browser blocked (CORS): a TypeError, and nothing else.
    throw new Error(`网关请求被浏览器拦截（跨域）: ${error.name}: ${error.message}`);
  }
  const body = await response.json();
  if (body.errors) throw new Error(`网关拒绝: ${body.errors.map((e) => e.extensions?.code).join(', ')}`);
  document.getElementById('citizen-name').textContent = body.data.person.name;
}

const report = (error) => void (problem.textContent = error.message);
document.getElementById('sign-in').addEventListener('click', () => signIn().catch(report));
profile.addEventListener('submit', (event) => {
  event.preventDefault();
  problem.textContent = '';
  readOwnProfile(new FormData(profile).get('idNumber')).catch(report);
});
const answer = new URLSearchParams(location.search);
if (answer.has('code') || answer.has('error')) finishSignIn(answer).catch(report);
