// The page's way to the console's /api routes, with the token the operator signed in with. The token stays in this
// browser tab (sessionStorage): it is gone when the tab closes and is never sent anywhere but to this console.

const TOKEN_KEY = 'fulfillment-console.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token.trim().replace(/^Bearer\s+/i, '')),
  signOut: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** What the console (or a service through it) refused: status 0 when the console itself did not answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
  }

  /** The token is missing, refused, or lacks a scope: the page asks to sign in. */
  get isSignIn(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const token = session.token();
  if (token === null) throw new ApiError(401, 'sign in with a bearer token first', 'token-missing');
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, `the console does not answer (${(error as Error).message})`, 'console-unreachable');
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: shown as it is below
  }
  if (!response.ok) {
    const answer = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { message?: string; code?: string };
    throw new ApiError(response.status, answer.message ?? (text.slice(0, 300) || `status ${response.status}`), answer.code ?? null);
  }
  return parsed as T;
}
