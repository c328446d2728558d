/** Where the SQLite store at `path` keeps media bytes: a folder beside the database file (why: media.ts). */
export function mediaFolderOf(path: string): string {
  return `${path}-media`;
}
