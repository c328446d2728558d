/**
 * A thread runs compiled JavaScript: the .js file beside the module that starts it. Run from the
 * TypeScript sources (the tests do), that is the copy in dist/, which is refused when it is older
 * than the sources it was compiled from: a test would otherwise pass or fail on yesterday's code.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The script of thread `name` (say `sqlite-thread`), beside the module of src/store/ at `moduleUrl` (its import.meta.url). */
export function threadScript(name: string, moduleUrl: string): URL {
  if (!moduleUrl.endsWith('.ts')) return new URL(`./${name}.js`, moduleUrl);
  const root = fileURLToPath(new URL('../../', moduleUrl));
  assertBuilt(root, 'store', "the store's threads run");
  return pathToFileURL(join(root, 'dist', 'store', `${name}.js`));
}

/** Throws, naming the sources, when `root`/dist/`folder` is older than `root`/src/`folder` ('' for all). */
export function assertBuilt(root: string, folder: string, what: string): void {
  const stale = outdatedBuild(root, folder);
  if (stale.length) throw new Error(`dist/ lacks or predates ${stale.join(', ')}: run \`npm run build\` (${what} the compiled copy in dist/)`);
}

/**
 * The .ts files under `root`/src/`folder` (walked whole; '' for all of src/) whose compiled .js
 * under `root`/dist/`folder` is missing or older, as paths from `root` (`src/store/sqlite.ts`).
 */
function outdatedBuild(root: string, folder: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(root, 'src', rel), { withFileTypes: true })) {
      const path = join(rel, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const built = join(root, 'dist', path.replace(/\.ts$/, '.js'));
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(join(root, 'src', path)).mtimeMs) out.push(join('src', path));
      }
    }
  };
  walk(folder);
  return out;
}
