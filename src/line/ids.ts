/**
 * LINE ids are checked before they go into a URL: @line/bot-sdk before 11.0.1 let a crafted path
 * parameter reach another endpoint, and so would we.
 */
export const USER_ID = /^U[0-9a-f]{32}$/;
export const CHAT_ID = /^[UCR][0-9a-f]{32}$/;
export const MESSAGE_ID = /^[0-9]{1,32}$/;

export function isUserId(v: unknown): v is string {
  return typeof v === 'string' && USER_ID.test(v);
}
export function isChatId(v: unknown): v is string {
  return typeof v === 'string' && CHAT_ID.test(v);
}
export function isMessageId(v: unknown): v is string {
  return typeof v === 'string' && MESSAGE_ID.test(v);
}
