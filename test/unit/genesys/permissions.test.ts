/**
 * The permission a Genesys 403 says is missing: named in the body's message (with or without
 * brackets, one or several), else the permission of the call that was refused.
 */
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/errors.js';
import { permissionsNamed, withPermissionHint } from '../../../src/genesys/permissions.js';

const body = (message: string) => JSON.stringify({ message, code: 'missing.any.permissions', status: 403, contextId: 'c', details: [], errors: [] });

describe('permissionsNamed', () => {
  it('reads the permissions Genesys names, in brackets or not', () => {
    expect(permissionsNamed(body('Unable to perform the requested action. You are missing the following permission(s): [messaging:setting:add]'))).toEqual(['messaging:setting:add']);
    expect(permissionsNamed(body('Unable to perform the requested action. You are missing the following permission(s): messaging:integration:edit'))).toEqual(['messaging:integration:edit']);
    expect(permissionsNamed(body('You are missing the following permission(s): [conversation:communication:view, conversation:communication:disconnect]'))).toEqual(['conversation:communication:view', 'conversation:communication:disconnect']);
  });

  it('names none in a body that does not', () => {
    expect(permissionsNamed(body('Forbidden'))).toEqual([]);
    expect(permissionsNamed(undefined)).toEqual([]);
  });
});

describe('withPermissionHint', () => {
  it("falls back on the refused call's own permission when the body names none", () => {
    const e = withPermissionHint(new UpstreamError({ upstream: 'genesys', operation: 'create supported content profile', status: 403, body: body('Forbidden') }));
    expect(e).toBeInstanceOf(UpstreamError);
    expect((e as UpstreamError).hint).toMatch(/^The OAuth client lacks the permission messaging:supportedContent:add: /);
  });

  it('leaves other errors alone', () => {
    const other = new UpstreamError({ upstream: 'genesys', operation: 'get integration', status: 404 });
    expect(withPermissionHint(other)).toBe(other);
  });
});
