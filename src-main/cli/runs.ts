import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { RUN_STATUSES, RunStore, StoreError, defaultDbPath, type RunId, type RunStatus } from '../store';
import { parseArgs, type ParsedArgs } from './args';
import { CliError, outputTarget, type CliIo } from './io';
import { formatComparison, formatRun, formatRunList } from './runsFormat';

export { defaultDbPath } from '../store';

/** Usage of `tock-studio runs`, also printed by `runs help`. */
export const RUNS_USAGE = `tock-studio runs — the run history (SQLite; default ${'$'}TOCK_STUDIO_DB or the app's data folder)

  tock-studio runs list [--design <name>] [--hash <prefix>] [--status <s>[,<s>…]] [--seed N]
                        [--search <text>] [--limit N] [--offset N] [--db <file>] [--json]
  tock-studio runs show <id> [--db <file>] [--json]
  tock-studio runs compare <id> <id>… [--db <file>] [--json]
      The first run is the baseline: per flow Δp50, Δp99, Δcopies/message, Δlost; per process ΔMPU peak;
      per mechanism Δcopies, Δmax depth, Δdrops; and what changed in the design.
  tock-studio runs export <id> --format csv|json [--rows messages|flows] [--out <file>] [--db <file>]
      CSV rows: one per message sample (default: run_id, flow_idx, flow_id, seq, send_ns, deliver_ns,
      latency_ns, bytes, copies, outcome) or one per flow (--rows flows). JSON: the run, its design and
      per-flow statistics. Without --out the export goes to stdout.

  Statuses: ${RUN_STATUSES.join(', ')}.
`;

function usage(): never {
  throw new CliError(`usage:\n${RUNS_USAGE.split('\n').slice(2, 8).join('\n')}`, 2);
}

export function parseId(text: string): RunId {
  const t = text.startsWith('#') ? text.slice(1) : text;
  if (!/^\d{1,15}$/.test(t) || Number(t) < 1) throw new CliError(`"${text}" is not a run id (a positive whole number, as shown by tock-studio runs list)`, 2);
  return Number(t);
}

function parseCount(name: string, text: string | true | undefined, max: number, min = 0): number | undefined {
  if (text === undefined) return undefined;
  const t = String(text);
  if (!/^\d{1,9}$/.test(t) || Number(t) > max || Number(t) < min) throw new CliError(`--${name} ${t}: a whole number from ${min} to ${max}`, 2);
  return Number(t);
}

/** Opens the database named by --db (must exist) or the default one; null if the default does not exist yet. */
function openStore(a: ParsedArgs): { store: RunStore | null; file: string } {
  const explicit = typeof a.flags.db === 'string' ? a.flags.db : undefined;
  const file = explicit ?? defaultDbPath();
  try {
    return { store: RunStore.open(file, { create: false }), file };
  } catch (e) {
    if (e instanceof StoreError) {
      if (e.code === 'missing' && !explicit) return { store: null, file };
      throw new CliError(e.message);
    }
    throw e;
  }
}

export function storeCall<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof StoreError) throw new CliError(e.message, e.code === 'invalid' ? 2 : 1);
    throw e;
  }
}

/** Writes to the CLI's stdout, waiting for 'drain' when it is a stream under backpressure. */
export async function writeOut(io: CliIo, s: string): Promise<void> {
  const out = io.stdout as { write(s: string): unknown; once?: (ev: string, f: () => void) => unknown };
  if (out.write(s) === false && typeof out.once === 'function') await new Promise<void>((r) => out.once!('drain', r));
}

/** Writes pieces to `file` atomically (a temporary sibling renamed into place). */
export async function writeFileAtomically(file: string, pieces: Iterable<string>): Promise<number> {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  let bytes = 0;
  let fh;
  try {
    fh = await fs.open(tmp, 'w');
  } catch (e) {
    throw new CliError(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    for (const p of pieces) {
      const buf = Buffer.from(p, 'utf8');
      await fh.write(buf);
      bytes += buf.length;
    }
    await fh.close();
    fh = undefined;
    await fs.rename(tmp, file);
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    if (e instanceof CliError) throw e;
    if (e instanceof StoreError) throw new CliError(e.message);
    throw new CliError(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return bytes;
}

async function list(a: ParsedArgs, io: CliIo): Promise<number> {
  if (a.positionals.length) usage();
  const statusText = a.flags.status;
  let status: RunStatus[] | undefined;
  if (statusText !== undefined) {
    status = String(statusText)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean) as RunStatus[];
    for (const s of status) if (!RUN_STATUSES.includes(s)) throw new CliError(`--status ${s}: unknown status (known: ${RUN_STATUSES.join(', ')})`, 2);
  }
  const seed = parseCount('seed', a.flags.seed, 0xffff_ffff);
  const limit = parseCount('limit', a.flags.limit, 1000, 1) ?? 50;
  const offset = parseCount('offset', a.flags.offset, 1e9) ?? 0;
  const hash = a.flags.hash === undefined ? undefined : String(a.flags.hash);
  if (hash !== undefined && !/^[0-9a-f]{4,64}$/i.test(hash)) throw new CliError(`--hash ${hash}: 4 to 64 hex digits of a design hash`, 2);
  const { store, file } = openStore(a);
  if (!store) {
    if (a.flags.json) await writeOut(io, `${JSON.stringify({ db: file, total: 0, items: [] })}\n`);
    else await writeOut(io, `no runs yet (${file} does not exist)\n`);
    return 0;
  }
  try {
    const page = storeCall(() =>
      store.listRuns({
        ...(a.flags.design !== undefined ? { designName: String(a.flags.design) } : {}),
        ...(hash !== undefined ? { designHash: hash } : {}),
        ...(status ? { status } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(a.flags.search !== undefined ? { text: String(a.flags.search) } : {}),
        limit,
        offset,
      }),
    );
    if (a.flags.json) await writeOut(io, `${JSON.stringify({ db: store.file, ...page })}\n`);
    else await writeOut(io, formatRunList(page, offset));
    return 0;
  } finally {
    store.close();
  }
}

export function withStore<T>(a: ParsedArgs, what: string, f: (s: RunStore) => Promise<T>): Promise<T> {
  const { store, file } = openStore(a);
  if (!store) throw new CliError(`${what}: the run database ${file} does not exist yet (run a design first, or pass --db)`);
  return f(store).finally(() => store.close());
}

async function show(a: ParsedArgs, io: CliIo): Promise<number> {
  if (a.positionals.length !== 1) usage();
  const id = parseId(a.positionals[0]!);
  return withStore(a, `no run ${id}`, async (store) => {
    const run = storeCall(() => store.getRun(id));
    if (a.flags.json) {
      await writeOut(io, `${JSON.stringify(run)}\n`);
      return 0;
    }
    const stats = run.summary
      ? run.summary.flows.map((f) => ({
          id: f.id,
          name: f.name,
          sent: f.sent,
          delivered: f.delivered,
          lost: f.dropped + f.overwritten + f.timedOut + (f.failed ?? 0),
          p50: f.delivered ? f.latencyNs.p50 : null,
          p99: f.delivered ? f.latencyNs.p99 : null,
          copiesPerMessage: f.copiesPerMessage,
        }))
      : storeCall(() => store.flowStats(id)).map((f) => ({
          id: f.id,
          name: f.name,
          sent: f.sent,
          delivered: f.delivered,
          lost: f.sent - f.delivered,
          p50: f.latencyNs?.p50 ?? null,
          p99: f.latencyNs?.p99 ?? null,
          copiesPerMessage: f.sent ? f.copies / f.sent : null,
        }));
    await writeOut(io, formatRun(run, stats));
    return 0;
  });
}

async function compare(a: ParsedArgs, io: CliIo): Promise<number> {
  if (a.positionals.length < 2) throw new CliError('usage: tock-studio runs compare <id> <id>… [--db <file>] [--json] (at least two runs)', 2);
  const ids = a.positionals.map(parseId);
  return withStore(a, `no run ${ids[0]}`, async (store) => {
    const c = storeCall(() => store.compareRuns(ids));
    await writeOut(io, a.flags.json ? `${JSON.stringify(c)}\n` : formatComparison(c));
    return 0;
  });
}

async function exportRun(a: ParsedArgs, io: CliIo): Promise<number> {
  if (a.positionals.length !== 1) usage();
  const id = parseId(a.positionals[0]!);
  const format = a.flags.format;
  if (format !== 'csv' && format !== 'json') throw new CliError(`--format ${format === undefined ? '(missing)' : String(format)}: csv or json`, 2);
  const rows = a.flags.rows === undefined ? 'messages' : String(a.flags.rows);
  if (rows !== 'messages' && rows !== 'flows') throw new CliError(`--rows ${rows}: messages or flows`, 2);
  if (format === 'json' && a.flags.rows !== undefined) throw new CliError('--rows applies to --format csv only', 2);
  const out = typeof a.flags.out === 'string' ? a.flags.out : undefined;
  return withStore(a, `no run ${id}`, async (store) => {
    const target = out === undefined ? undefined : outputTarget(out, [{ file: store.file, what: 'the run database' }]);
    const pieces: Iterable<string> = storeCall(() => (format === 'csv' ? store.exportCsv(id, rows) : [`${JSON.stringify(store.exportJson(id), null, 2)}\n`]));
    if (target) {
      const bytes = await writeFileAtomically(target, pieces);
      io.stderr.write(`run ${id}: wrote ${bytes.toLocaleString('en-US')} bytes of ${format === 'csv' ? `CSV (${rows})` : 'JSON'} to ${out}\n`);
    } else {
      try {
        for (const p of pieces) await writeOut(io, p);
      } catch (e) {
        if (e instanceof StoreError) throw new CliError(e.message);
        throw e;
      }
    }
    return 0;
  });
}

/**
 * `tock-studio runs list|show|compare|export …`: the run history in the SQLite store (`--db`, else
 * `defaultDbPath()`). Returns the exit code; user errors are `CliError`s (one line, no stack trace).
 */
export async function runsCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === 'help' || sub === '--help' || sub === '-h') {
    io.stdout.write(RUNS_USAGE);
    return sub ? 0 : 2;
  }
  switch (sub) {
    case 'list':
      return list(parseArgs(rest, ['design', 'hash', 'status', 'seed', 'search', 'limit', 'offset', 'db'], ['json']), io);
    case 'show':
      return show(parseArgs(rest, ['db'], ['json']), io);
    case 'compare':
      return compare(parseArgs(rest, ['db'], ['json']), io);
    case 'export':
      return exportRun(parseArgs(rest, ['format', 'rows', 'out', 'db'], []), io);
    default:
      throw new CliError(`unknown subcommand "${sub}" (list, show, compare, export)`, 2);
  }
}
