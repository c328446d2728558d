/**
 * The CLI's one entry point and the one place that decides the exit code. It only declares
 * commands; each command's module is imported when that command runs, so `--help` stays fast.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { CommandContext, GlobalOptions } from './context.js';
import { processIo, type CliIo } from './io.js';
import type { Output } from './output.js';

/** output.js pulls in chalk: --help and --version never need it. */
const loadOutput = () => import('./output.js').then((m) => m.createOutput);

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Help is wrapped at this width, whatever the terminal's. */
export const HELP_WIDTH = 80;

type Loader = () => Promise<{ default: (options: any, ctx: CommandContext) => Promise<unknown> }>;

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 failure the user can act on, 2 bad usage, 130 Ctrl-C). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  // SIGINT and SIGTERM both stop a command cleanly (ctx.signal). Ctrl-C then exits 130 (128 + SIGINT),
  // as shells expect of an interrupted command; SIGTERM is the ordinary way to stop `start`: 0.
  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    controller.abort();
  };
  const onSignal = () => controller.abort();
  const isProcess = io.stdout === process.stdout;
  if (isProcess) {
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSignal);
  }
  let exitCode = 0;
  let globals: GlobalOptions = { json: argv.includes('--json'), color: !argv.includes('--no-color'), verbose: argv.includes('--verbose') };
  let out: Output | undefined;
  const output = async () => (out ??= (await loadOutput())(io, globals));
  // `line-genesys --help | head -1`: a closed pipe is not an error (the listener stays: the write fails later).
  const onPipeError = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  };
  if (isProcess) process.stdout.on('error', onPipeError);

  const program = new Command('line-genesys')
    .description('Connect LINE Official Accounts to Genesys Cloud Open Messaging: a durable relay and the tools to run it.')
    .version(pkg.version, '-v, --version')
    .option('--json', 'print one JSON object per result (for scripts and CI)', false)
    .option('-c, --config <path>', 'config file (default ./line-genesys.config.json)')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('--verbose', 'more detail: request bodies, stack traces', false)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // The same help on every terminal: the build renders the top-level help once (dist/cli/help.txt)
      // and bin/line-genesys.cjs prints that copy without loading the CLI.
      getOutHelpWidth: () => HELP_WIDTH,
      getErrHelpWidth: () => HELP_WIDTH,
      // Our own error line (below) says it once, with a hint.
      outputError: () => undefined,
    })
    .exitOverride()
    .showSuggestionAfterError(true)
    // Inherited by every command declared below: its help lists --json, -c and --verbose too.
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', examples(['npx line-genesys init', 'line-genesys dev --sandbox', 'line-genesys simulate sticker', 'line-genesys doctor']));

  // The command being parsed, so that a usage error points to its own help.
  let parsing: Command = program;
  const follow = (_: Command, sub: Command) => {
    parsing = sub;
  };
  program.hook('preSubcommand', follow);

  const run = (load: Loader) =>
    async function (this: Command, ...args: unknown[]) {
      const cmd = args[args.length - 1] as Command;
      const opts = cmd.opts();
      const g = program.opts();
      globals = { json: Boolean(g.json), color: g.color !== false, verbose: Boolean(g.verbose), ...(g.config ? { config: String(g.config) } : {}) };
      out = (await loadOutput())(io, globals);
      const positional = cmd.processedArgs;
      const mod = await load();
      const { createContext } = await import('./context.js'); // config loading: only when a command runs
      await mod.default({ ...opts, args: positional }, createContext(io, out!, globals, controller.signal));
    };

  program
    .command('init')
    .description('set up Genesys Open Messaging integrations and LINE webhooks; write the config, .env and an Architect flow')
    .option('--region <region>', 'Genesys Cloud region, e.g. mypurecloud.jp or ap-northeast-1 (GENESYS_REGION)')
    .option('--client-id <id>', 'Genesys OAuth client id (GENESYS_CLIENT_ID)')
    .option('--client-secret <secret>', 'Genesys OAuth client secret (GENESYS_CLIENT_SECRET)')
    .option('--channel <id:market:brand>', 'a LINE channel, e.g. th:TH:acme (repeat for several); secrets from LINE_<ID>_CHANNEL_SECRET / LINE_<ID>_ACCESS_TOKEN', collect, [])
    .option('--line-secret <id=secret>', 'channel secret of a channel (repeatable)', collect, [])
    .option('--line-token <id=token>', 'channel access token of a channel (repeatable)', collect, [])
    .option('--public-url <url>', 'public HTTPS URL of the relay, for the webhook endpoints (LINE_GENESYS_PUBLIC_URL)')
    .option('--integration-prefix <name>', 'name prefix of the Genesys integrations and their profiles', 'LINE')
    .option('--division <name>', 'Genesys division of the Architect flow and its queues', 'Home')
    .option('--skip-webhook', 'do not set or test the LINE webhook endpoint')
    .option('-y, --yes', 'never ask: take flags, environment and defaults')
    .option('--non-interactive', 'same as --yes')
    .option('--dry-run', 'print every call it would make and change nothing')
    .addHelpText('after', examples([
      'line-genesys init',
      'line-genesys init --yes --region mypurecloud.jp --channel th:TH:acme --channel tw:TW:acme --public-url https://relay.example.com',
      'line-genesys init --dry-run --yes --channel th:TH:acme',
    ]))
    .action(run(() => import('./commands/init/index.js')));

  program
    .command('dev')
    .description('run the relay locally behind a tunnel and show every event live')
    .option('-p, --port <port>', 'port of the relay (PORT; default 3000)')
    .option('--public-url <url>', 'use your own tunnel or domain instead of ngrok')
    .option('--no-tunnel', 'no tunnel: only the local URL')
    .option('--domain <domain>', 'ngrok static domain, so the URL survives restarts (NGROK_DOMAIN)')
    .option('--sandbox', 'emulate LINE and Genesys in-process: the whole loop offline, no account needed')
    .option('--inspect-port <port>', 'port of the inspector page (default: port + 1)')
    .option('--no-inspect', 'no inspector page')
    .option('--no-update-webhooks', 'do not point the LINE and Genesys webhooks at the tunnel')
    .addHelpText('after', examples(['line-genesys dev', 'line-genesys dev --sandbox', 'line-genesys dev --public-url https://my-tunnel.example.com', 'line-genesys dev --no-tunnel --port 8080']))
    .action(run(() => import('./commands/dev/index.js')));

  program
    .command('start')
    .description('run the relay (production: no tunnel, JSON logs)')
    .option('-p, --port <port>', 'port (PORT; default 3000)')
    .option('--host <host>', 'address to listen on (LINE_GENESYS_HOST)')
    .addHelpText('after', examples(['line-genesys start', 'PORT=8080 line-genesys start']))
    .action(run(() => import('./commands/start/index.js')));

  program
    .command('simulate')
    .argument('[event]', 'sample event: text, sticker, location, image, file, follow, unfollow, postback, redelivered, … or agent-reply')
    .description('send a signed sample event to a relay, as LINE (or Genesys) would')
    .option('--list', 'list the sample events')
    .option('--to <url>', 'relay base URL (default http://localhost:$PORT)')
    .option('--channel <id>', 'LINE channel whose secret signs it (default: the first)')
    .option('--user <userId>', 'LINE user id of the customer')
    .option('--text <text>', 'text of a text event or an agent reply')
    .option('--package-id <id>', 'sticker package id')
    .option('--sticker-id <id>', 'sticker id')
    .option('--lat <latitude>', 'latitude of a location')
    .option('--lng <longitude>', 'longitude of a location')
    .option('--file <json>', 'send this webhook body instead of a sample')
    .option('--secret <secret>', 'sign with this secret instead of the configured one')
    .option('--sandbox', 'sign as the channels of `line-genesys dev --sandbox`')
    .option('--print', 'print the signed request as a curl command instead of sending it')
    .option('--wait', 'follow the delivery to LINE or Genesys; exit 1 when it fails')
    .addHelpText('after', examples(['line-genesys simulate --list', 'line-genesys simulate sticker', 'line-genesys simulate sticker --sandbox', 'line-genesys simulate text --text "สวัสดี" --channel th', 'line-genesys simulate location --lat 25.0340 --lng 121.5645 --channel tw', 'line-genesys simulate agent-reply --text "Hi!" --user U4af4980629c5f1b2e1d4c3b2a1f0e9d8', 'line-genesys simulate sticker --print', 'line-genesys simulate agent-reply --wait']))
    .action(run(() => import('./commands/simulate/index.js')));

  program
    .command('sign')
    .argument('[file]', 'payload file (default: stdin)')
    .description('sign a payload as LINE (x-line-signature) or Genesys (X-Hub-Signature-256) would')
    .option('--line', 'LINE signature: base64 HMAC-SHA256 (default)')
    .option('--genesys', 'Genesys signature: sha256=<base64 HMAC-SHA256>')
    .option('--secret <secret>', 'secret (default: from the config)')
    .option('--channel <id>', 'channel whose secret to use')
    .addHelpText('after', examples(['line-genesys sign body.json --channel th', 'cat body.json | line-genesys sign --genesys --secret "$GENESYS_OUTBOUND_SECRET"']))
    .action(run(() => import('./commands/sign/index.js')));

  program
    .command('verify')
    .argument('[file]', 'payload file (default: stdin)')
    .description('check a signature over a payload')
    .requiredOption('--signature <signature>', 'the x-line-signature or X-Hub-Signature-256 value')
    .option('--line', 'LINE signature (default)')
    .option('--genesys', 'Genesys signature')
    .option('--secret <secret>', 'secret (default: from the config)')
    .option('--channel <id>', 'channel whose secret to use')
    .addHelpText('after', examples(['line-genesys verify body.json --signature "GhRKmvmH…" --channel th']))
    .action(run(() => import('./commands/verify/index.js')));

  program
    .command('doctor')
    .description('check config, environment, credentials and webhook URLs; one line per check with the fix')
    .option('--offline', 'only the checks that need no network')
    .option('--live', 'also send one labelled test message per integration, read its participant data back, and disconnect it (asks first)')
    .option('-y, --yes', 'with --live: go ahead without asking')
    .addHelpText('after', examples(['line-genesys doctor', 'line-genesys doctor --json', 'line-genesys doctor --live --yes --json']))
    .action(run(() => import('./commands/doctor/index.js')));

  program
    .command('quota')
    .description("each channel's monthly LINE message limit and use, and how many messages the relay sent by reply (free) and by push")
    .addHelpText('after', examples(['line-genesys quota', 'line-genesys quota --json']))
    .action(run(() => import('./commands/quota/index.js')));

  const queue = program
    .command('queue')
    .description('inspect and replay the delivery queue and its dead letters')
    .addHelpText('after', examples(['line-genesys queue list', 'line-genesys queue show 42', 'line-genesys queue retry --all', 'line-genesys queue drop 42']))
    .hook('preSubcommand', follow);
  queue
    .command('list')
    .description('list jobs (dead letters by default)')
    .option('--state <state>', 'dead | pending | running | done', 'dead')
    .option('--limit <n>', 'at most this many', '50')
    .addHelpText('after', examples(['line-genesys queue list', 'line-genesys queue list --state pending --json']))
    .action(run(() => import('./commands/queue/index.js').then((m) => ({ default: m.list }))));
  queue
    .command('show')
    .argument('<id>', 'job id')
    .description('show one job: its payload, attempts and last error')
    .addHelpText('after', examples(['line-genesys queue show 42', 'line-genesys queue show 42 --json']))
    .action(run(() => import('./commands/queue/index.js').then((m) => ({ default: m.show }))));
  queue
    .command('retry')
    .argument('[id]', 'job id')
    .option('--all', 'every dead letter')
    .description('put dead letters back in the queue (a running relay picks them up)')
    .addHelpText('after', examples(['line-genesys queue retry 42', 'line-genesys queue retry --all']))
    .action(run(() => import('./commands/queue/index.js').then((m) => ({ default: m.retry }))));
  queue
    .command('drop')
    .argument('<id>', 'job id')
    .description('drop a dead letter for good (a redelivery of it stays a duplicate)')
    .addHelpText('after', examples(['line-genesys queue drop 42']))
    .action(run(() => import('./commands/queue/index.js').then((m) => ({ default: m.drop }))));

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') exitCode = 0;
      else exitCode = (await output()).error(new UsageError(e.message.replace(/^error: /, ''), { hint: helpHint(parsing) }));
    } else {
      exitCode = (await output()).error(e);
    }
  } finally {
    if (isProcess) {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSignal);
    }
  }
  return interrupted ? 130 : exitCode;
}

/** Where to read about the command a usage error came from: its own help, or the top-level one. */
function helpHint(cmd: Command): string {
  const path: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) path.unshift(c.name());
  if (path.length === 0) return 'Run `line-genesys --help` for the commands and their options.';
  return `Run \`line-genesys ${path.join(' ')} --help\` for its arguments and options.`;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
