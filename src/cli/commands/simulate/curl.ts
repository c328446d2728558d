/**
 * A signed request as a curl command a person can paste into a POSIX shell. The body goes through
 * `--data-binary` (sent byte for byte, unlike `-d`, which strips newlines) from a quoted heredoc (no
 * expansion inside). A heredoc always ends with a newline, so the body given here must end with
 * one too — it is part of the bytes signed — and hold no other newline.
 */
import type { SignedRequest } from '../../../samples.js';

/** Single-quotes a word for sh: every ' becomes '\''. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const DELIMITER = 'EOF';

/** The body curl would send from the heredoc of `curlCommand` (what the shell feeds on stdin). */
export function heredocBody(command: string): string | undefined {
  const lines = command.split('\n');
  const start = lines.findIndex((l) => l.endsWith(`<<'${DELIMITER}'`));
  const end = lines.indexOf(DELIMITER, start + 1);
  if (start < 0 || end < 0) return undefined;
  return lines.slice(start + 1, end).map((l) => l + '\n').join('');
}

/**
 * curl -sS -X POST <url> -H … --data-binary @- <<'EOF' / <body> / EOF. With `bodyFile`, the body
 * is read from that file instead (its bytes as they are, e.g. for --file).
 */
export function curlCommand(req: SignedRequest, bodyFile?: string): string {
  const head = [`curl -sS -X POST ${shellQuote(req.url)}`, ...Object.entries(req.headers).map(([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`)];
  if (bodyFile !== undefined) return [...head, `--data-binary ${shellQuote(`@${bodyFile}`)}`].join(' \\\n  ');
  if (typeof req.body !== 'string') throw new Error('curlCommand: give a bodyFile for a binary body');
  if (!req.body.endsWith('\n') || req.body.indexOf('\n') !== req.body.length - 1) {
    throw new Error('curlCommand: the body must be one line ending with a newline (a heredoc adds one)');
  }
  if (req.body === `${DELIMITER}\n`) throw new Error('curlCommand: the body cannot be the heredoc delimiter');
  return `${[...head, `--data-binary @- <<'${DELIMITER}'`].join(' \\\n  ')}\n${req.body}${DELIMITER}`;
}
