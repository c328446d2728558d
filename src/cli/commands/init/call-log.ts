/**
 * Every API call `init` makes, in order: what `--dry-run` prints and `--verbose` shows as it goes.
 *
 * Dry run: reads (the OAuth token, LINE bot info, the lists of integrations and profiles) are made,
 * because they only look and they let the plan say "create" or "update" truthfully; every write
 * (create/update a profile or an integration, set/test the LINE webhook) is recorded with its redacted
 * body and not made.
 */
import { redact } from '../../../log.js';

export interface LoggedCall {
  method: string;
  url: string;
  body?: unknown;
  /** false for a write that --dry-run did not make. */
  made: boolean;
}

export class CallLog {
  readonly calls: LoggedCall[] = [];

  constructor(
    readonly dryRun: boolean,
    private readonly onCall: (line: string) => void = () => {},
  ) {}

  /** A call that only reads; made even in a dry run. */
  async read<T>(method: string, url: string, run: () => Promise<T>, body?: unknown): Promise<T> {
    this.record({ method, url, ...(body !== undefined ? { body: redact(body) } : {}), made: true });
    return run();
  }

  /** A call that changes something: made unless this is a dry run (then undefined). */
  async write<T>(method: string, url: string, body: unknown, run: () => Promise<T>): Promise<T | undefined> {
    this.record({ method, url, ...(body !== undefined ? { body: redact(body) } : {}), made: !this.dryRun });
    return this.dryRun ? undefined : run();
  }

  private record(call: LoggedCall): void {
    this.calls.push(call);
    this.onCall(formatCall(call));
  }
}

export function formatCall(c: LoggedCall): string {
  const body = c.body === undefined ? '' : ` ${typeof c.body === 'string' ? c.body : JSON.stringify(c.body)}`;
  return `${c.method.padEnd(5)} ${c.url}${body}${c.made ? '' : '  (not made: dry run)'}`;
}
