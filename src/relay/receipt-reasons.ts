/**
 * Why an agent's message was not delivered, as Genesys's ConversationReason: one of its codes and a
 * message the agent can act on. Pure: the caller did the I/O and passes what LINE answered.
 */
import type { messagingApi } from '@line/bot-sdk';
import type { UpstreamError } from '../errors.js';
import type { ConversationReasonCode } from '../genesys/types.js';
import { stickerCode } from '../transform/sticker-code.js';

export interface FailureReason {
  code: ConversationReasonCode;
  reason: string;
}

const STICKER_LIST = 'https://developers.line.biz/en/docs/messaging-api/sticker-list/';
const MEDIA_TYPES = new Set(['image', 'video', 'audio']);

export const NO_CHANNEL: FailureReason = {
  code: 'GeneralError',
  reason: 'No LINE channel is configured for this Genesys integration, so the message was not sent.',
};

export const BLOCKED: FailureReason = {
  code: 'RecipientOptedOut',
  reason: 'The customer has blocked this LINE account: LINE accepts the message but does not deliver it. It was not sent.',
};

/**
 * A message the relay does not push: content LINE cannot show at all (`unsupported` names it), or a
 * recipient that is no LINE id (`reason` says which).
 */
export function notPushed(plan: { reason: string; unsupported?: string[] }): FailureReason {
  if (plan.unsupported?.length) {
    return {
      code: 'UnsupportedMessage',
      reason: `Not sent: LINE cannot show ${plan.unsupported.join(', ')}, and the message held nothing else. Send it as text, quick replies or a card instead.`,
    };
  }
  return { code: 'InvalidDestination', reason: `Not sent: ${plan.reason}.` };
}

/**
 * LINE refused push `index` of `total` for good; `batch` is what that push carried. A 400 is read for
 * what it names: the recipient (`to`), a media message, or a sticker in the batch.
 */
export function lineRefusal(e: UpstreamError, batch: messagingApi.Message[], index: number, total: number): FailureReason {
  const part = total > 1 ? ` (part ${index + 1} of ${total}; earlier parts were delivered)` : '';
  switch (e.upstreamStatus) {
    case 400:
      return invalidRequest(e, batch, part);
    case 401:
      return { code: 'GeneralError', reason: `LINE refused the channel access token${part}: the relay's administrator must renew it.` };
    case 403:
      return { code: 'GeneralError', reason: `LINE does not allow sending this message to the customer${part} (the account's plan or permissions).` };
    case 413:
      return { code: 'InvalidMediaContentLength', reason: `The message is too large for LINE${part}: a push carries at most 2 MB. Send it in shorter parts.` };
    case 429:
      // Only the monthly quota reaches here: the line client makes it permanent, other 429s are retried.
      return {
        code: 'RateLimited',
        reason: `The LINE account has used its monthly message quota${part}: the message was not sent. The LINE account's administrator can raise the plan, or it resets next month.`,
      };
    default:
      return { code: 'GeneralError', reason: `LINE did not accept the message${part}: ${e.message}` };
  }
}

/** The property paths a LINE 400 names (`details[].property`, or "The property, to, …" in its message). */
function namedProperties(e: UpstreamError): string[] {
  let body: { message?: unknown; details?: Array<{ property?: unknown }> } = {};
  try {
    body = JSON.parse(e.body ?? '{}');
  } catch {
    /* not JSON: nothing named */
  }
  const fromDetails = (Array.isArray(body.details) ? body.details : []).map((d) => d?.property).filter((p): p is string => typeof p === 'string');
  const inMessage = typeof body.message === 'string' ? /The property, ([^,]+), in the request body is invalid/.exec(body.message)?.[1] : undefined;
  return inMessage ? [...fromDetails, inMessage.trim()] : fromDetails;
}

function invalidRequest(e: UpstreamError, batch: messagingApi.Message[], part: string): FailureReason {
  const said = e.detail ? ` LINE said: ${e.detail}` : '';
  const properties = namedProperties(e);
  if (properties.some((p) => /^to\b/.test(p))) {
    return { code: 'InvalidDestination', reason: `LINE refused the recipient of this message${part}: the customer cannot be reached on this LINE account.${said}` };
  }
  const media = properties
    .map((p) => batch[Number(/^messages\[(\d+)\]/.exec(p)?.[1] ?? NaN)])
    .find((m): m is messagingApi.Message => m !== undefined && MEDIA_TYPES.has(m.type));
  if (media) {
    const url = 'originalContentUrl' in media ? ` ${String(media.originalContentUrl)}` : '';
    return {
      code: 'MediaTypeNotAllowed',
      reason: `LINE refused the ${media.type}${url}${part}: LINE shows images as JPEG or PNG, videos as MP4 and audio as M4A or MP3, from an HTTPS URL.${said}`,
    };
  }
  const sticker = batch.find((m): m is messagingApi.StickerMessage => m.type === 'sticker');
  if (sticker) {
    return {
      code: 'InvalidMessageStructure',
      reason: `LINE refused the sticker ${stickerCode(sticker)}${part}: only stickers on LINE's sticker list can be sent (${STICKER_LIST}).`,
    };
  }
  return { code: 'InvalidMessageStructure', reason: `LINE refused the message as invalid${part}.${said}` };
}

/** Still failing when the worker gives up (relay.deadLetterAfter): LINE or the relay's way to it kept failing. */
export function deadlinePassed(lastError: string, afterMs: number, pushed: number): FailureReason {
  const part = pushed > 0 ? ` (its first ${pushed === 1 ? 'part was' : `${pushed} parts were`} delivered)` : '';
  return {
    code: 'ServerError',
    reason: `The relay could not deliver this message to LINE within ${duration(afterMs)} and gave up${part}; send it again. Last error: ${lastError}`,
  };
}

function duration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

/**
 * Part of a message sent, part LINE cannot show (a DatePicker beside text). Decided (issue 12): the receipt
 * is Delivered, since the customer has the message and a Failed one would have the agent send it all
 * again; it carries this reason, so the agent sees what did not arrive. Genesys's model allows `reasons`
 * on any receipt; should an organisation refuse them on a Delivered one, the relay sends it again without.
 */
export function partlySent(notSent: string[]): FailureReason {
  return {
    code: 'UnsupportedMessage',
    reason: `Delivered without ${notSent.join(', ')}: LINE cannot show ${notSent.length > 1 ? 'them' : 'it'}. Send ${notSent.length > 1 ? 'them' : 'it'} as text, quick replies or a card instead.`,
  };
}
