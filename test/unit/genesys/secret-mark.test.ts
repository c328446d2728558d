/** The mark of an integration's outbound secret in its webhookHeaders (init writes it, init and doctor read it). */
import { describe, expect, it } from 'vitest';
import { markedHeaders, SECRET_MARK_HEADER, secretDrift } from '../../../src/genesys/secret-mark.js';

const A = 'project-a-outbound-secret-0123456789';
const B = 'project-b-outbound-secret-9876543210';

describe('secret mark', () => {
  it('tells the secret that set it from another, and an unmarked integration from both', () => {
    const headers = markedHeaders(undefined, A);
    expect(secretDrift({ webhookHeaders: headers }, A)).toBe('same');
    expect(secretDrift({ webhookHeaders: headers }, B)).toBe('changed');
    expect(secretDrift({}, A)).toBe('unmarked');
    expect(secretDrift({ webhookHeaders: { Authorization: 'Bearer x' } }, A)).toBe('unmarked');
  });

  it('gives nothing of the secret away', () => {
    const mark = markedHeaders(undefined, A)[SECRET_MARK_HEADER]!;
    expect(mark).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(mark).not.toContain(A.slice(0, 8));
  });

  it("keeps the integration's other headers and replaces an old mark whatever its case", () => {
    const headers = markedHeaders({ 'x-line-genesys-secret-mark': 'sha256:0000000000000000', 'X-Tenant': 'acme' }, B);
    expect(Object.keys(headers).sort()).toEqual([SECRET_MARK_HEADER, 'X-Tenant']);
    expect(headers['X-Tenant']).toBe('acme');
    expect(secretDrift({ webhookHeaders: headers }, B)).toBe('same');
  });
});
