/**
 * The OAuth client permissions each Genesys call needs (Genesys's API reference, "Requires ANY/ALL
 * permissions"), and the one a 403 says is missing. Genesys answers a missing permission with 403
 * and `{code: "missing.permissions" | "missing.any.permissions", message: "Unable to perform the
 * requested action. You are missing the following permission(s): …"}`; when the body names none,
 * the call's own permission is the answer. README, Permissions, lists these by command.
 */
import { UpstreamError } from '../errors.js';

/** By the client's operation names (client.ts, token.ts). */
export const PERMISSION_OF: Readonly<Record<string, string>> = {
  'inbound message': 'conversation:message:receive',
  'delivery receipt': 'conversation:message:receive',
  'list integrations': 'messaging:integration:view',
  'get integration': 'messaging:integration:view',
  'create integration': 'messaging:integration:add',
  'update integration': 'messaging:integration:edit',
  'list supported content profiles': 'messaging:supportedContent:view',
  'create supported content profile': 'messaging:supportedContent:add',
  'update supported content profile': 'messaging:supportedContent:edit',
  'list messaging settings': 'messaging:setting:view',
  'create messaging setting': 'messaging:setting:add',
  'update messaging setting': 'messaging:setting:edit',
  'get conversation': 'conversation:communication:view',
  'disconnect conversation': 'conversation:communication:disconnect',
};

const NAMED = /permission\(s\):\s*\[?([A-Za-z0-9:_*,\s-]+?)\]?\s*\.?\s*$/;

/** The permissions a Genesys 403 body names, or [] when it names none. */
export function permissionsNamed(body: string | undefined): string[] {
  let message = body ?? '';
  try {
    const parsed = JSON.parse(message) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    /* not JSON: read the text as it is */
  }
  const m = NAMED.exec(message.trim());
  return m ? m[1]!.split(/[\s,]+/).filter((p) => /^[A-Za-z]+:[A-Za-z*]+:[A-Za-z*]+$/.test(p)) : [];
}

/** A Genesys 403 with a hint naming the permission to grant; any other error as it is. */
export function withPermissionHint(e: unknown): unknown {
  // The login's 403 is a refused client (authentication), not a missing permission.
  if (!(e instanceof UpstreamError) || e.upstream !== 'genesys' || e.upstreamStatus !== 403 || e.authentication) return e;
  const named = permissionsNamed(e.body);
  const missing = named.length ? named : [PERMISSION_OF[e.operation]].filter((p): p is string => Boolean(p));
  if (!missing.length) return e;
  return new UpstreamError({
    upstream: 'genesys',
    operation: e.operation,
    status: 403,
    ...(e.body !== undefined ? { body: e.body } : {}),
    retriable: false,
    hint: `The OAuth client lacks the permission ${missing.join(', ')}: add it to a role of the client (Admin > Roles / Permissions, then the client's Roles tab). README, Permissions, lists what each command needs.`,
    cause: e,
  });
}
