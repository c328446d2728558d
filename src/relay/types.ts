/**
 * Receivers are plain functions from a request to an answer, with no framework, so that a user can
 * mount them in their own server: `{ path, headers, body } -> { status, body }`.
 */
export interface WebhookRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw bytes received: signatures are checked on these. */
  body: Buffer;
}

export interface WebhookResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export function header(req: Pick<WebhookRequest, 'headers'>, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function answer(status: number, body: unknown): WebhookResponse {
  return { status, body };
}

export function refuse(status: number, error: string, message: string): WebhookResponse {
  return { status, body: { error, message } };
}
