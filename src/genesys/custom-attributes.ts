/**
 * The size rule for the custom attributes the relay sends with every inbound message
 * (`channel.metadata.customAttributes`). Open Messaging documents no limit of its own; Web Messaging
 * allows 2,048 bytes of custom attributes, and we hold ours to that until a live check says otherwise.
 * Measured as Genesys receives them: the UTF-8 bytes of the attributes' JSON.
 */
import { ConfigError } from '../errors.js';

export const CUSTOM_ATTRIBUTES_MAX_BYTES = 2048;

/** UTF-8 bytes of the attributes as JSON. */
export function customAttributesBytes(attributes: Record<string, string>): number {
  return Buffer.byteLength(JSON.stringify(attributes), 'utf8');
}

/**
 * Throws a ConfigError naming `setting` when the attributes are over {@link CUSTOM_ATTRIBUTES_MAX_BYTES};
 * returns their size otherwise. Pass the attributes as they are sent (with market, brand and lineChannel).
 */
export function checkCustomAttributes(attributes: Record<string, string>, setting: string): number {
  const bytes = customAttributesBytes(attributes);
  if (bytes > CUSTOM_ATTRIBUTES_MAX_BYTES) {
    const largest = Object.entries(attributes)
      .map(([k, v]) => ({ k, size: customAttributesBytes({ [k]: v }) }))
      .sort((a, b) => b.size - a.size)
      .slice(0, 3)
      .map(({ k, size }) => `${k} (${size} bytes)`);
    throw new ConfigError(
      setting,
      `the custom attributes sent with each message take ${bytes} bytes as JSON; Genesys takes at most ${CUSTOM_ATTRIBUTES_MAX_BYTES} (Web Messaging's documented limit)`,
      { hint: `Shorten or remove some of them; the largest are ${largest.join(', ')}. market, brand and lineChannel are always sent.` },
    );
  }
  return bytes;
}
