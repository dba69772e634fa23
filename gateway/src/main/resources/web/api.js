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

/**
 * One call, retried while the gateway says "try again" (502/503/504, or no answer): every call this
 * page makes is idempotent (reads, and writes that carry their ids), so a retry never does twice.
 */
export async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${savedToken()}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  for (let attempt = 1; ; attempt++) {
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      if (attempt >= RETRIES) throw error;
      await pause(attempt);
      continue;
    }
    if (response.ok) return response.json();
    if (![502, 503, 504].includes(response.status) || attempt >= RETRIES) {
      throw new ApiError(response.status, await problemOf(response));
    }
    await pause(attempt, response.headers.get('Retry-After'));
  }
}

const RETRIES = 6;

function pause(attempt, retryAfterSeconds) {
  const millis = retryAfterSeconds ? Number(retryAfterSeconds) * 1000 : 250 * 2 ** attempt;
  return new Promise((resolve) => setTimeout(resolve, Math.min(millis, 5000)));
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return { title: response.statusText };
  }
}
