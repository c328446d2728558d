/** .env merging (unrelated lines kept, values read back the same) and the .gitignore line. */
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../../src/config.js';
import { formatDotenvValue, mergeDotenv, withIgnored } from '../../../src/cli/commands/init/env-file.js';

describe('mergeDotenv', () => {
  it('replaces a variable in place (keeping `export`), appends new ones, keeps every other line', () => {
    const before = '# my settings\nPORT=8080\nexport LINE_TH_ACCESS_TOKEN=old\n\nOTHER="x y"\n';
    const after = mergeDotenv(before, { LINE_TH_ACCESS_TOKEN: 'new-token', GENESYS_CLIENT_ID: 'cid' });
    expect(after).toBe(
      '# my settings\nPORT=8080\nexport LINE_TH_ACCESS_TOKEN=new-token\n\nOTHER="x y"\n\n# line-genesys (written by `line-genesys init`)\nGENESYS_CLIENT_ID=cid\n',
    );
    expect(parseDotenv(after)).toEqual({ PORT: '8080', LINE_TH_ACCESS_TOKEN: 'new-token', OTHER: 'x y', GENESYS_CLIENT_ID: 'cid' });
  });

  it('is stable: merging the same values again changes nothing', () => {
    const once = mergeDotenv('', { A: '1', B: 'two' });
    expect(mergeDotenv(once, { A: '1', B: 'two' })).toBe(once);
    expect(once).toBe('# line-genesys (written by `line-genesys init`)\nA=1\nB=two\n');
  });

  it('replaces the last of two definitions (the one that wins)', () => {
    expect(mergeDotenv('A=1\nA=2\n', { A: '3' })).toBe('A=1\nA=3\n');
  });

  it.each(['plain', 'base64+/=', 'with space', 'hash # inside', "it's", 'quote " and \'', 'trailing ', 'multi\nline', ''])('%j reads back the same', (value) => {
    expect(parseDotenv(`K=${formatDotenvValue(value)}\n`).K).toBe(value);
  });
});

describe('withIgnored: .env and the store folder', () => {
  it('adds .env and .line-genesys/ once, to a new or an existing file', () => {
    expect(withIgnored('')).toBe('.env\n.line-genesys/\n');
    expect(withIgnored('node_modules')).toBe('node_modules\n.env\n.line-genesys/\n');
    expect(withIgnored('node_modules\n')).toBe('node_modules\n.env\n.line-genesys/\n');
  });
  it.each(['.env', '/.env', '.env*', '*.env', 'dist\n  .env  \n'])('%j already ignores .env: only the store folder is added', (text) => {
    expect(withIgnored(text)).toBe(`${text.endsWith('\n') ? text : text + '\n'}.line-genesys/\n`);
  });
  it.each(['.line-genesys', '.line-genesys/', '/.line-genesys', '/.line-genesys/'])('%j already ignores the store folder', (folder) => {
    expect(withIgnored(`.env\n${folder}\n`)).toBeUndefined();
  });
  it('.env.local does not ignore .env', () => {
    expect(withIgnored('.env.local\n.line-genesys/\n')).toBe('.env.local\n.line-genesys/\n.env\n');
  });
});
