/**
 * `genesys-canned-responses.json`: the starter stickers (templates/stickers/starter.json, ids from
 * LINE's sticker list) as Genesys canned responses, one body of POST
 * /api/v2/responsemanagement/responses each, so that an agent inserts `[sticker <pkg>/<id>]` from the
 * Responses panel. Genesys needs the library id, which exists only once the user creates the library:
 * each body names LIBRARY_ID, replaced at import (the summary says how).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ResponseManagementResponse } from '../../../genesys/types.js';
import { stickerCode, type StickerRef } from '../../../transform/sticker-code.js';
import { apply, type FileOutcome } from './files.js';

export const CANNED_RESPONSES_FILE = 'genesys-canned-responses.json';
export const STARTER_STICKERS = new URL('../../../../templates/stickers/starter.json', import.meta.url);
export const LIBRARY_PLACEHOLDER = 'LIBRARY_ID';

interface StarterSticker extends StickerRef {
  id: string;
  description: string;
}

/** One canned response per sticker: a readable name, the code as its plain text. Pure. */
export function cannedResponses(stickers: readonly StarterSticker[]): ResponseManagementResponse[] {
  return stickers.map((s) => ({
    name: `LINE sticker: ${s.description} (${s.packageId}/${s.stickerId})`,
    libraries: [{ id: LIBRARY_PLACEHOLDER }],
    texts: [{ content: stickerCode(s), contentType: 'text/plain' }],
    interactionType: 'chat',
  }));
}

/** How to import the file: create a library, then post each body with its id. */
export function importHint(file: string): string {
  return (
    `create a response library in Genesys (Admin > Contact Center > Canned Responses, or POST /api/v2/responsemanagement/libraries), then post each entry with its id: ` +
    `jq -c --arg lib <library id> '.[] | .libraries[0].id = $lib' ${file} | while read -r r; do curl -sS -X POST https://api.<region>/api/v2/responsemanagement/responses -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$r"; done`
  );
}

export function writeCannedResponses(cwd: string, dryRun: boolean): FileOutcome {
  const path = resolve(cwd, CANNED_RESPONSES_FILE);
  const { stickers } = JSON.parse(readFileSync(STARTER_STICKERS, 'utf8')) as { stickers: StarterSticker[] };
  const state = apply(path, `${JSON.stringify(cannedResponses(stickers), null, 2)}\n`, dryRun);
  return { path, state, detail: `${stickers.length} LINE stickers as Genesys canned responses` };
}
