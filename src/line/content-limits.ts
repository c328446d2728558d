/**
 * The largest content the relay downloads from LINE, per kind of message: LINE's own documented
 * maxima, the defaults of `relay.mediaMaxSize`.
 * - image 10 MB, video 200 MB, audio 200 MB: the Messaging API reference's image, video and audio
 *   message objects (https://developers.line.biz/en/reference/messaging-api/#image-message, #video-message,
 *   #audio-message; raised to these in https://developers.line.biz/en/news/2020/05/12/messaging-api-update-may-2020/).
 *   LINE documents no separate limit for the content a user sends, so these are the sizes it handles.
 * - file 1 GB: the largest file the LINE app lets a user send in a chat (LINE Help Center, "Sending files";
 *   the Messaging API documents no limit for file content).
 * A megabyte is read as 1,048,576 bytes, the larger reading: a file at LINE's limit is never refused.
 */
export type ContentKind = 'image' | 'video' | 'audio' | 'file';

export type ContentCaps = Record<ContentKind, number>;

const MB = 1024 * 1024;

export const LINE_CONTENT_MAX: Readonly<ContentCaps> = { image: 10 * MB, video: 200 * MB, audio: 200 * MB, file: 1024 * MB };

export const CONTENT_KINDS = Object.keys(LINE_CONTENT_MAX) as ContentKind[];
