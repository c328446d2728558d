/**
 * What the naive middleware and the floor server send to Genesys for a LINE text event: an OAuth
 * client-credentials token (fetched once) and one Open Messaging inbound message per event, the
 * minimum the schema asks for (channel.messageId, from, time; text). Bench code only.
 */
import { CHANNELS, GENESYS_CLIENT } from './env.js';

export const INTEGRATION_ID = CHANNELS.th.integrationId;

export function inboundPath(integrationId = INTEGRATION_ID) {
  return `/api/v2/conversations/messages/${integrationId}/inbound/open/message`;
}

/** The Genesys inbound message for one LINE text event (as the relay maps it, without the profile). */
export function inboundBody(event) {
  return {
    channel: {
      messageId: event.message.id,
      from: { nickname: event.source.userId, id: event.source.userId, idType: 'Opaque' },
      time: new Date(event.timestamp).toISOString(),
    },
    text: event.message.text,
  };
}

/** A bearer token from the emulator's /oauth/token, with `fetch` (what a user's code would call). */
export async function fetchToken(genesysUrl) {
  const basic = Buffer.from(`${GENESYS_CLIENT.id}:${GENESYS_CLIENT.secret}`).toString('base64');
  const res = await fetch(`${genesysUrl}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
  return (await res.json()).access_token;
}
