/**
 * The two profiles every integration of ours references, found by name (`<prefix> supported content`,
 * `<prefix> messaging setting`) or created, and corrected when someone changed them:
 *
 * - a supported-content profile allowing what LINE carries: Genesys's default lets agents send only
 *   jpg, png and gif, so without it an agent's video, audio or file never leaves Genesys;
 * - a messaging setting with typing indicators on: they are off until one turns them on, and the
 *   relay turns an agent's typing into LINE's loading animation.
 *
 * A profile that already says what we want is reused with no write, so a second run changes nothing.
 */
import { isDeepStrictEqual } from 'node:util';
import type { GenesysClient } from '../../../genesys/client.js';
import type { EventSetting, MediaTypes, MessagingSetting, MessagingSettingRequest, SupportedContent, SupportedContentRequest } from '../../../genesys/types.js';
import { AUDIO_MIMES, IMAGE_MIMES, VIDEO_MIMES } from '../../../transform/to-line.js';
import type { CallLog } from './call-log.js';

export interface ProfileOutcome {
  /** undefined only for a profile a dry run would have created. */
  id: string | undefined;
  name: string;
  action: 'created' | 'updated' | 'reused';
}

export interface Profiles {
  supportedContent: ProfileOutcome;
  messagingSetting: ProfileOutcome;
}

const SUPPORTED_CONTENT = '/api/v2/conversations/messaging/supportedcontent';
const MESSAGING_SETTINGS = '/api/v2/conversations/messaging/settings';

/** Files: LINE sends a customer's file of any type; an agent's file reaches LINE as a link (to-line.ts). */
const FILES = ['application/*', 'text/*'];

/**
 * What LINE carries each way. Inbound, LINE sends images, videos, audio and files (any size LINE
 * accepts: 10 MB images, 200 MB video and audio, 300 MB files). Outbound, LINE plays the image,
 * video and audio types of to-line.ts (JPEG/PNG, MP4, M4A/MP3); any other file is sent as a link.
 */
export function wantedSupportedContent(prefix: string): SupportedContentRequest {
  const outbound = [...IMAGE_MIMES, ...VIDEO_MIMES, ...AUDIO_MIMES, ...FILES];
  return {
    name: `${prefix} supported content`,
    mediaTypes: { allow: { inbound: ['image/*', 'video/*', 'audio/*', ...FILES].map((type) => ({ type })), outbound: outbound.map((type) => ({ type })) } },
  };
}

export function wantedMessagingSetting(prefix: string): MessagingSettingRequest {
  return { name: `${prefix} messaging setting`, event: { typing: { on: { inbound: 'Enabled', outbound: 'Enabled' } } } };
}

/** The allowed types each way, sorted, so that order does not count as a difference. */
function allowed(m: MediaTypes | undefined): { inbound: string[]; outbound: string[] } {
  const types = (list: Array<{ type?: string }> | undefined) => [...new Set((list ?? []).map((t) => t.type ?? ''))].sort();
  return { inbound: types(m?.allow?.inbound), outbound: types(m?.allow?.outbound) };
}

/** True when the profile Genesys has allows at least what we want (more is the owner's choice). */
export function contentCovers(found: SupportedContent, wanted: SupportedContentRequest): boolean {
  const have = allowed(found.mediaTypes);
  const want = allowed(wanted.mediaTypes);
  const all = (h: string[], w: string[]) => h.includes('*/*') || w.every((t) => h.includes(t));
  return all(have.inbound, want.inbound) && all(have.outbound, want.outbound);
}

function union(a: MediaTypes | undefined, b: MediaTypes | undefined): MediaTypes {
  const x = allowed(a);
  const y = allowed(b);
  const both = (p: string[], q: string[]) => [...new Set([...p, ...q])].map((type) => ({ type }));
  return { allow: { inbound: both(x.inbound, y.inbound), outbound: both(x.outbound, y.outbound) } };
}

/** True when typing indicators are on both ways. */
export function typingOn(event: EventSetting | undefined): boolean {
  return isDeepStrictEqual({ inbound: event?.typing?.on?.inbound, outbound: event?.typing?.on?.outbound }, { inbound: 'Enabled', outbound: 'Enabled' });
}

export async function ensureProfiles(genesys: GenesysClient, apiBaseUrl: string, log: CallLog, prefix: string): Promise<Profiles> {
  const content = wantedSupportedContent(prefix);
  const contents = await log.read('GET', `${apiBaseUrl}${SUPPORTED_CONTENT}?pageSize=100&pageNumber=1`, () => genesys.listSupportedContents());
  const setting = wantedMessagingSetting(prefix);
  const settings = await log.read('GET', `${apiBaseUrl}${MESSAGING_SETTINGS}?pageSize=100&pageNumber=1`, () => genesys.listMessagingSettings());
  const foundContent = contents.find((c) => c.name === content.name);
  // A correction adds what is missing and keeps what the profile's owner allowed besides.
  const contentUpdate: SupportedContentRequest = { name: content.name, mediaTypes: union(foundContent?.mediaTypes, content.mediaTypes) };
  const foundSetting = settings.find((s) => s.name === setting.name);
  // A correction keeps the setting's other content settings as they are.
  const settingUpdate: MessagingSettingRequest = { ...setting, ...(foundSetting?.content ? { content: foundSetting.content } : {}) };
  return {
    supportedContent: await ensure(log, `${apiBaseUrl}${SUPPORTED_CONTENT}`, foundContent ? contentUpdate : content, foundContent, (found) => contentCovers(found, content), {
      create: () => genesys.createSupportedContent(content),
      update: (id) => genesys.updateSupportedContent(id, contentUpdate),
    }),
    messagingSetting: await ensure(log, `${apiBaseUrl}${MESSAGING_SETTINGS}`, foundSetting ? settingUpdate : setting, foundSetting, (found: MessagingSetting) => typingOn(found.event), {
      create: () => genesys.createMessagingSetting(setting),
      update: (id) => genesys.updateMessagingSetting(id, settingUpdate),
    }),
  };
}

async function ensure<T extends { id: string }>(
  log: CallLog,
  url: string,
  body: { name: string },
  found: T | undefined,
  fits: (found: T) => boolean,
  run: { create: () => Promise<T>; update: (id: string) => Promise<T> },
): Promise<ProfileOutcome> {
  if (found && fits(found)) return { id: found.id, name: body.name, action: 'reused' };
  if (found) {
    await log.write('PATCH', `${url}/${found.id}`, body, () => run.update(found.id));
    return { id: found.id, name: body.name, action: 'updated' };
  }
  const created = await log.write('POST', url, body, run.create);
  return { id: created?.id, name: body.name, action: 'created' };
}
