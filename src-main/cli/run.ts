import { randomUUID } from 'node:crypto';
import { MAX_DURATION_NS } from '../../src-shared/catalog/params';
import { formatFinding, MAX_SEED, validateDesign } from '../../src-shared/model';
import type { RunSummary } from '../../src-shared/results/summary';
import { bareNumber, formatBytes, formatDuration } from '../../src-shared/util/units';
import { parseDuration } from '../../src-shared/util/units';
import { NotModelledError } from '../engine/tock/peripherals';
import { prepareRun, type RunOutput } from '../engine/tock/run';
import { Runner, type RunFinished, type RunProgress, type RunRequest } from '../runner/runner';
import { checkRecordSpace, describeEstimate, LARGE_RECORD_BYTES, notEnoughSpace } from '../store/diskSpace';
import { StoreError } from '../store/errors';
import { designHash } from '../store/hash';
import { defaultDbPath } from '../store/paths';
import { RunStore } from '../store/store';
import { parseArgs } from './args';
import { CliError, checkDbFolder, readDesignFile, type CliIo } from './io';

/** Parses `--seed`: an integer 0 … 2^32 − 1. */
export function parseSeed(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n > MAX_SEED) throw new CliError(`--seed ${text}: a seed is a whole number from 0 to ${MAX_SEED}`);
  return n;
}

/**
 * Parses `--duration`: a time with a unit (`250ns`, `40us`, `5ms`, `10s`), from 1 ns to the longest run a design
 * file allows (`MAX_DURATION_NS`, 1 hour). A bare number is refused: typed by a person, `5` is not 5 ns.
 */
export function parseDurationFlag(text: string): number {
  if (bareNumber(text) !== null) throw new CliError(`--duration ${text}: add a unit: 250ns, 40us, 5ms, 10s`);
  const r = parseDuration(text);
  if (!r.ok) throw new CliError(`--duration ${text}: ${r.error}`);
  if (r.value < 1) throw new CliError(`--duration ${text}: the run must last at least 1 ns`);
  if (r.value > MAX_DURATION_NS) throw new CliError(`--duration ${text}: longer than a design file allows; a run lasts at most ${formatDuration(MAX_DURATION_NS)} (1 hour)`);
  return r.value;
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** The human-readable report of a summary (tables of flows, processes, kernels). */
export function formatSummary(s: RunSummary): string {
  const lines: string[] = [];
  lines.push(`${s.design} — seed ${s.seed}, ${formatDuration(s.simTimeNs)} simulated, ${s.events.toLocaleString('en-US')} events, ${s.wallMs} ms wall`);
  lines.push('', 'Flows');
  lines.push(`  ${pad('flow', 44)}${pad('sent', 8, true)}${pad('deliv', 8, true)}${pad('lost', 7, true)}${pad('p50', 11, true)}${pad('p99', 11, true)}${pad('copies', 8, true)}`);
  for (const f of s.flows) {
    const lost = f.dropped + f.overwritten + f.timedOut + f.failed;
    lines.push(`  ${pad(f.name.slice(0, 43), 44)}${pad(String(f.sent), 8, true)}${pad(String(f.delivered), 8, true)}${pad(String(lost), 7, true)}${pad(f.delivered ? formatDuration(f.latencyNs.p50, 3) : '—', 11, true)}${pad(f.delivered ? formatDuration(f.latencyNs.p99, 3) : '—', 11, true)}${pad(String(f.copiesPerMessage), 8, true)}`);
  }
  lines.push('', 'Processes (MPU regions peak / capacity)');
  for (const p of s.processes) {
    const extra = [p.mpuMapFailures ? `${p.mpuMapFailures} map failures` : '', p.alignmentWasteBytes ? `${p.alignmentWasteBytes} B alignment waste` : '', p.restarts ? `${p.restarts} restarts` : '', p.upcallsDropped ? `${p.upcallsDropped} upcalls dropped` : ''].filter(Boolean).join(', ');
    lines.push(`  ${pad(p.name.slice(0, 43), 44)}${pad(`${p.mpuRegionsPeak} / ${p.mpuRegionsCapacity}`, 9, true)}${extra ? `   ${extra}` : ''}`);
  }
  lines.push('', 'Kernels');
  for (const k of s.kernels) {
    lines.push(`  ${pad(k.name.slice(0, 43), 44)} CPU ${(k.cpuUtilization * 100).toFixed(1)}%, ${k.contextSwitches} context switches, ${k.syscalls} syscalls, ${k.upcallsDropped} upcalls dropped`);
  }
  return `${lines.join('\n')}\n`;
}

/** What `run` reads from the machine besides its arguments: injected so tests need not fill (or find) a full disk. */
export interface RunEnv {
  /** Bytes free on the file system of a database file (null: unknown); default: `statfs` of its folder. */
  freeBytes?: (dbPath: string) => number | null;
}

/**
 * `tock-studio run <design.json> [--seed N] [--duration T] [--db F] [--no-record] [--no-space-check] [--json]`:
 * simulates the design, records the run (design snapshot, samples, series, trace, summary) and prints the summary.
 * A design with errors is refused with the validator's messages (exit 1); the lint's warnings for the run as set go
 * to stderr. Before recording, a run whose estimated size exceeds the free space of the database's file system is
 * refused (exit 2) unless --no-space-check; one estimated above 1 GiB is announced on stderr.
 */
export async function runCommand(args: readonly string[], io: CliIo, env: RunEnv = {}): Promise<number> {
  const a = parseArgs(args, ['seed', 'duration', 'db'], ['json', 'no-record', 'no-space-check']);
  if (a.positionals.length !== 1) throw new CliError('usage: tock-studio run <design.json> [--seed N] [--duration <time>] [--db <file>] [--no-record] [--no-space-check] [--json]', 2);
  if (a.flags['no-record'] === true && a.flags.db !== undefined) throw new CliError('--db names where to record the run, and --no-record says not to: give one or the other', 2);
  const file = a.positionals[0]!;
  const loaded = await readDesignFile(file);
  if (!loaded.ok) {
    for (const f of loaded.findings.filter((x) => x.severity === 'error')) io.stderr.write(`${file}: ${formatFinding(f)}\n`);
    throw new CliError(`${file}: the design has errors; fix them first (tock-studio validate ${file})`);
  }
  const design = loaded.design;
  const seed = a.flags.seed !== undefined ? parseSeed(String(a.flags.seed)) : design.run.seed;
  const durationNs = a.flags.duration !== undefined ? parseDurationFlag(String(a.flags.duration)) : design.run.durationNs;
  const hash = designHash(design);
  const warmupNs = Math.min(design.run.warmupNs, durationNs);
  // The lint of the design as it will run (the flags' seed and duration): warnings go to stderr, the run goes on.
  const asRun = { ...design, run: { ...design.run, seed, durationNs, warmupNs: design.run.warmupNs } };
  for (const f of validateDesign(asRun).filter((x) => x.severity === 'warning')) io.stderr.write(`${file}: ${formatFinding(f)}
`);
  const record = a.flags['no-record'] !== true;
  let recorded: { summary: RunSummary; fingerprint: string; file: string } | null = null;
  let summary: RunSummary;
  let fingerprint: string;
  if (record) {
    // The default database's folder is made on first use; a folder named by --db must exist (a typo is not created).
    if (typeof a.flags.db === 'string') checkDbFolder(a.flags.db);
    const dbPath = typeof a.flags.db === 'string' ? a.flags.db : defaultDbPath();
    // Before anything is written: will the run fit? (It would fail cleanly on a full disk, but only after filling it.)
    const space = checkRecordSpace(design, { durationNs, warmupNs }, dbPath, env.freeBytes);
    if (!space.fits) {
      const why = notEnoughSpace(space, dbPath);
      if (a.flags['no-space-check'] !== true) throw new CliError(`${why}; free some space, shorten the run (--duration), record elsewhere (--db) or not at all (--no-record), or record anyway with --no-space-check`, 2);
      io.stderr.write(`${file}: ${why}; recording anyway (--no-space-check)\n`);
    } else if (space.estimate.bytes > LARGE_RECORD_BYTES) {
      io.stderr.write(`${file}: this run will record ${describeEstimate(space)} in ${dbPath}${space.freeBytes !== null ? ` (${formatBytes(space.freeBytes)} free)` : ''}\n`);
    }
    recorded = await recordRun(file, dbPath, { design, seed, durationNs, warmupNs });
    ({ summary, fingerprint } = recorded);
  } else {
    const t0 = performance.now();
    let out: RunOutput;
    try {
      out = prepareRun(design, hash, { seed, durationNs, warmupNs }).execute();
    } catch (e) {
      if (e instanceof NotModelledError) throw new CliError(`${file}: ${e.message}`);
      throw e;
    }
    summary = { runId: randomUUID(), ...out.summary, wallMs: Math.round(performance.now() - t0) };
    fingerprint = out.fingerprint;
  }
  // Key order of the contract: runId first, then as in runDesign.
  const ordered: RunSummary = { runId: summary.runId, design: summary.design, designHash: summary.designHash, seed: summary.seed, engineVersion: summary.engineVersion, simTimeNs: summary.simTimeNs, events: summary.events, wallMs: summary.wallMs, flows: summary.flows, mechanisms: summary.mechanisms, processes: summary.processes, kernels: summary.kernels };
  if (a.flags.json) io.stdout.write(`${JSON.stringify({ ...ordered, fingerprint })}\n`);
  else io.stdout.write(`${formatSummary(ordered)}${recorded ? `\nRecorded as run ${ordered.runId} in ${recorded.file}\n` : ''}`);
  return 0;
}

/**
 * Runs and records through the studio's runner: the engine in a worker thread, the store written on this one,
 * so writing overlaps simulating (as in the app). A run that fails is recorded as failed and reported.
 */
async function recordRun(file: string, dbPath: string, req: RunRequest): Promise<{ summary: RunSummary; fingerprint: string; file: string }> {
  let store: RunStore;
  try {
    store = RunStore.open(dbPath);
  } catch (e) {
    if (e instanceof StoreError) throw new CliError(e.message);
    throw e;
  }
  const runner = new Runner(store);
  let runId = -1;
  let cancelAsked = false;
  // Ctrl+C cancels the run, which is then recorded as cancelled (with what it recorded so far) rather than left
  // `running` until another open of the database finds its process gone.
  const interrupt = (): void => {
    cancelAsked = true;
    if (runId >= 0) runner.cancel(runId);
  };
  process.once('SIGINT', interrupt);
  try {
    const finished = await new Promise<RunFinished>((resolve, reject) => {
      let result: RunFinished | null = null;
      runner.on('finished', (f: RunFinished) => (result = f));
      runner.on('progress', (p: RunProgress) => {
        if (p.status === 'done' && result) resolve(result);
        else if (p.status === 'cancelled') reject(new CliError(`${file}: cancelled (Ctrl+C); recorded as run ${runId}, cancelled, in ${store.file}`, 130));
        // An error about the database (damage met while recording) names it already; others are the design's.
        else if (p.status === 'failed') reject(new CliError(p.error?.startsWith(`${store.file}: `) ? p.error : `${file}: ${p.error ?? 'the run failed'}`));
      });
      runId = runner.start(req);
      if (cancelAsked) runner.cancel(runId);
    });
    return { ...finished, file: store.file };
  } catch (e) {
    // Damage met when the run is begun (a page the checks at open do not read): refused, the file as it was.
    if (e instanceof StoreError) throw new CliError(e.message);
    throw e;
  } finally {
    process.off('SIGINT', interrupt);
    await runner.shutdown();
    store.close();
  }
}
