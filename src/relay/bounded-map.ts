/**
 * The relay's in-memory caches are Maps kept in insertion order: setting a key moves it to the end,
 * and past `max` entries the oldest goes first.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}
