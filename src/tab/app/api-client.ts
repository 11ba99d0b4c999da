/** A failure the API answered with: its stable code and the sentence to show. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export type TokenSource = () => Promise<string>;

/** Calls /api/v1/… with a fresh token each time; every failure becomes an ApiError the page can show. */
export function apiClient(token: TokenSource) {
  return async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let bearer: string;
    try {
      bearer = await token();
    } catch {
      throw new ApiError('sign_in_failed', 'Teams could not sign you in to Development Hub. Close the tab and open it again; if it keeps happening, ask your IT team.', 0);
    }
    let response: Response;
    try {
      response = await fetch(`/api/v1/${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError('network_error', 'Development Hub cannot be reached. Check your connection and try again.', 0);
    }
    const payload = (await response.json().catch(() => undefined)) as { error?: { code: string; message: string; details?: Record<string, unknown> } } | undefined;
    if (!response.ok) {
      const error = payload?.error;
      throw new ApiError(error?.code ?? 'server_error', error?.message ?? 'Something went wrong. Try again in a moment.', response.status, error?.details);
    }
    return payload as T;
  };
}

export type Api = ReturnType<typeof apiClient>;
