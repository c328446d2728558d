/**
 * Whether an integration references the two profiles `init` attaches (init/profiles.ts), and what
 * agents lose without each: pure, from the integration Genesys returned.
 */
import type { OpenIntegration } from '../../../genesys/types.js';
import { RUN_INIT, type Check } from './local-checks.js';

const LOSS: Record<'supportedContent' | 'messagingSetting', string> = {
  supportedContent: "no supported-content profile: Genesys's default applies, agents can send only jpg, png and gif (no video, audio or files)",
  messagingSetting: 'no messaging setting: typing indicators are off, customers never see the loading animation while an agent types',
};

export function profileCheck(channelId: string, i: OpenIntegration): Check {
  const name = `Genesys profiles ${channelId}`;
  const lost = [!i.supportedContent?.id && LOSS.supportedContent, !i.messagingSetting?.id && LOSS.messagingSetting].filter((x): x is string => Boolean(x));
  if (lost.length) return { name, ok: false, detail: `"${i.name}" has ${lost.join('; ')}`, fix: `${RUN_INIT}: it creates both profiles and attaches them.` };
  const label = (r: { id: string; name?: string }) => r.name ?? r.id;
  return { name, ok: true, detail: `supported content ${label(i.supportedContent!)}, messaging setting ${label(i.messagingSetting!)}` };
}
