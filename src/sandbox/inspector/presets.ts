/**
 * What the sandbox customer can send with one click: a few well-known LINE stickers (with keywords
 * as LINE puts them in the webhook; these are demo values) and a few places.
 */
export interface StickerPreset { packageId: string; stickerId: string; label: string; keywords: string[] }
export interface PlacePreset { title: string; address: string; latitude: number; longitude: number }

export const STICKERS: StickerPreset[] = [
  { packageId: '446', stickerId: '1988', label: 'Love', keywords: ['Heart', 'Love', 'Brown', 'Cony'] },
  { packageId: '446', stickerId: '1989', label: 'Happy', keywords: ['Happy', 'Smile', 'Brown', 'Cony'] },
  { packageId: '11537', stickerId: '52002734', label: 'OK', keywords: ['OK', 'Thumbs up', 'Brown'] },
  { packageId: '11537', stickerId: '52002739', label: 'Thanks', keywords: ['Thank you', 'Bow', 'Cony'] },
  { packageId: '11538', stickerId: '51626494', label: 'Hello', keywords: ['Hello', 'Hi', 'Choco'] },
];

export const PLACES: PlacePreset[] = [
  { title: 'Siam Paragon', address: '991 Rama I Rd, Pathum Wan, Bangkok 10330, Thailand', latitude: 13.746264, longitude: 100.534871 },
  { title: 'Taipei 101', address: 'No. 7, Section 5, Xinyi Rd, Xinyi District, Taipei City 110, Taiwan', latitude: 25.033964, longitude: 121.564468 },
  { title: 'Tokyo Tower', address: '4-2-8 Shibakoen, Minato City, Tokyo 105-0011, Japan', latitude: 35.658581, longitude: 139.745433 },
];
