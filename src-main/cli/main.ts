import { benchCommand } from './bench';
import { exportCommand } from './export';
import { CliError, HelpRequested, type CliIo } from './io';
import { runCommand } from './run';
import { RUNS_USAGE, runsCommand } from './runs';
import { serveCommand } from './serve';
import { validateCommand } from './validate';

/** Each command's usage, as `tock-studio <command> --help` prints it and the full usage lists it. */
const COMMAND_USAGE: Record<string, string> = {
  validate: `  tock-studio validate <design.json> [--json]
      Exit 0 when the design is valid (warnings printed); otherwise exit 1 and one line per problem.
`,
  run: `  tock-studio run <design.json> [--seed N] [--duration <time>] [--db <file>] [--no-record] [--no-space-check] [--json]
      Simulate the design, record the run in the database (default: the studio's, in your data folder) and
      print its summary (--json: one object on stdout). Times take a unit: 250ns, 40us (or µs), 5ms, 10s;
      a run lasts at most 1 hour. The folder of a --db file must exist. Before recording, the run's size is
      estimated from the design: a run that would not fit in the free space of the database's disk is refused
      (exit 2) unless --no-space-check; one over 1 GiB is announced on stderr.
`,
  runs: `  tock-studio runs list|show <id>|compare <id> <id>…|export <id> --format csv|json [--out <file>] [--db <file>] [--json]
      The run history (SQLite). tock-studio runs help for all options.
`,
  export: `  tock-studio export <design.json> --format svg|png|html|mermaid [--out <file>] [--run <id>[,<id>…]] [--db <file>]
                    [--theme light|dark] [--scale 1-4] [--baseline <id>]
      The diagram for a review, with a recorded run's results drawn on it: SVG (real text), PNG (drawn by a
      Chromium or Chrome found on this machine), a self-contained HTML report (diagram, tables, latency chart,
      comparison with further runs, the design file) or Mermaid text. Text goes to stdout without --out.
      The comparison is against the oldest run, or the one --baseline names (one of --run).
`,
  bench: `  tock-studio bench mm1 --customers N [--json]
      The engine core on an M/M/1 queue (λ = 0.9, μ = 1).
`,
  serve: `  tock-studio serve [--port N] [--db <file>] [--rebuild]
      The studio in a browser on 127.0.0.1; prints its URL with an access token. Without --port it listens on
      the port it had last time when that is free (the page keeps its address, and the browser its recovery
      drafts), else on any free port.
`,
};

const USAGE = `tock-studio — Tock IPC Studio on the command line

${Object.values(COMMAND_USAGE).join('\n')}
  tock-studio help [<command>]        (or tock-studio <command> --help)
`;

/** What `tock-studio <command> --help` prints: that command's usage (the runs command: all its subcommands). */
function commandUsage(cmd: string): string {
  if (cmd === 'runs') return RUNS_USAGE;
  const usage = COMMAND_USAGE[cmd];
  return usage ? `usage:\n${usage}` : USAGE;
}

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  validate: validateCommand,
  run: runCommand,
  bench: benchCommand,
  serve: serveCommand,
  runs: runsCommand,
  export: exportCommand,
};

/** Runs the CLI; returns the exit code. User errors print one line; only bugs print a stack trace. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'help' && rest.length === 1 && COMMANDS[rest[0]!]) {
    io.stdout.write(commandUsage(rest[0]!));
    return 0;
  }
  if (cmd === 'help' && rest.length > 0) {
    io.stderr.write(`tock-studio help: unknown command "${rest.join(' ')}"\n\n${USAGE}`);
    return 2;
  }
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    io.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    io.stderr.write(`tock-studio: unknown command "${cmd}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (e) {
    if (e instanceof HelpRequested) {
      io.stdout.write(commandUsage(cmd));
      return 0;
    }
    if (e instanceof CliError) {
      io.stderr.write(`tock-studio ${cmd}: ${e.message}\n`);
      return e.code;
    }
    io.stderr.write(`tock-studio ${cmd}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 70;
  }
}
