/**
 * The canned-response file `init` writes: one Genesys Response body per starter sticker, each with
 * every property Genesys's model requires (read from the SDK's model file, not restated here) and
 * none it lacks, and the sticker code as its text.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cannedResponses, writeCannedResponses } from '../../../src/cli/commands/init/canned-responses.js';
import { readSdkModels, type SdkProperty } from '../../helpers/genesys-sdk.js';

const models = readSdkModels(new URL('../../contract/sdk/responsemanagement.d.ts', import.meta.url));
const starter = JSON.parse(readFileSync(new URL('../../../templates/stickers/starter.json', import.meta.url), 'utf8')) as {
  stickers: Array<{ id: string; packageId: string; stickerId: string; description: string }>;
};

/** What is wrong with `value` as the SDK model `model`: missing required properties, unknown ones, recursively. */
function problems(value: Record<string, unknown>, model: string, at: string): string[] {
  const props = models.get(model);
  if (!props) return [`${at}: no model ${model}`];
  const out: string[] = [];
  for (const p of props) if (!p.optional && value[p.name] === undefined) out.push(`${at}.${p.name} is required by ${model}`);
  for (const [k, v] of Object.entries(value)) {
    const p: SdkProperty | undefined = props.find((x) => x.name === k);
    if (!p) out.push(`${at}.${k} is not in ${model}`);
    else if (p.model && p.list) (v as Array<Record<string, unknown>>).forEach((item, i) => out.push(...problems(item, p.model!, `${at}.${k}[${i}]`)));
  }
  return out;
}

describe("init's Genesys canned responses for the starter stickers", () => {
  const responses = cannedResponses(starter.stickers);

  it('the model file has Response with its required libraries and texts', () => {
    expect(models.get('Response')!.filter((p) => !p.optional).map((p) => p.name)).toEqual(['libraries', 'texts']);
    expect(models.get('ResponseText')!.filter((p) => !p.optional).map((p) => p.name)).toEqual(['content']);
  });

  it("each body has what Genesys's Response model requires, and nothing it does not know", () => {
    expect(responses).toHaveLength(starter.stickers.length);
    expect(responses.flatMap((r, i) => problems(r as unknown as Record<string, unknown>, 'Response', `[${i}]`))).toEqual([]);
  });

  it('each is named readably and its one text is the sticker code', () => {
    expect(responses[0]).toEqual({
      name: "LINE sticker: Moon: Special Edition, the package's first sticker (446/1988)",
      libraries: [{ id: 'LIBRARY_ID' }],
      texts: [{ content: '[sticker 446/1988]', contentType: 'text/plain' }],
      interactionType: 'chat',
    });
    starter.stickers.forEach((s, i) => {
      expect(responses[i]!.texts).toEqual([{ content: `[sticker ${s.packageId}/${s.stickerId}]`, contentType: 'text/plain' }]);
      expect(responses[i]!.name).toContain(s.description);
    });
  });

  it('is written as a JSON array, and left unchanged when run again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-canned-'));
    try {
      expect(writeCannedResponses(dir, true).state).toBe('would write');
      expect(writeCannedResponses(dir, false)).toMatchObject({ state: 'written', path: join(dir, 'genesys-canned-responses.json') });
      expect(JSON.parse(readFileSync(join(dir, 'genesys-canned-responses.json'), 'utf8'))).toHaveLength(starter.stickers.length);
      expect(writeCannedResponses(dir, false).state).toBe('unchanged');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
