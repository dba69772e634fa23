// The gateway's REST API as this page uses it: the bearer token (kept for the tab's session, so a
// reload stays signed in), JSON calls, RFC 9457 problems as errors.

const TOKEN_KEY = 'rampart.token';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function savedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forget() {
  sessionStorage.clear();
}

/** The token's subject: the caller's user id (the gateway verifies the token, not this page). */
export function subjectOf(token) {
  const part = token.split('.')[1];
  if (!part) throw new Error('not a JWT');
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const sub = JSON.parse(json).sub;
  if (typeof sub !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(sub)) throw new Error('the token names no user id');
  return sub;
}

/** Development sign-in: the local system's token issuer (never configured in a cluster). */
export async function devToken(issuerUrl, user) {
  const response = await fetch(issuerUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return (await response.json()).token;
}

export async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${savedToken()}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.json();
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return { title: response.statusText };
  }
}
