/** A path as people read it: relative to the working folder when it is inside it. */
import { relative } from 'node:path';

export function shortPath(cwd: string, path: string): string {
  const r = relative(cwd, path);
  return r && !r.startsWith('..') ? r : path;
}
