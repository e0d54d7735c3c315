// Exports of one run, documented column by column in docs/run-export.md (the contract: columns are appended, never
// renamed or removed). CSV comes in two shapes (both RFC 4180, `\n` line ends, header first):
//  - `messages` (default): one row per message sample, grouped by flow (flow index order), each flow's samples in
//    the order the engine reported them: run_id, flow_idx, flow_id, seq, send_ns, deliver_ns, latency_ns, bytes,
//    copies, outcome (name; `deliver_ns` and `latency_ns` empty when not delivered; latency is given for `delivered` and `truncated`).
//    `bytes` is the payload DELIVERED (the size that arrived, after any truncation): 0 for a message that did not
//    arrive, even one that was copied before it was dropped, overwritten or timed out. `copies` is the byte copies
//    made of the message, whatever became of it.
//  - `flows`: one row per flow: sent, delivered, a count per outcome (`outcome_<name>`), copies, bytes and latency
//    statistics (min, mean, nearest-rank p50/p90/p99, max) from the samples; `copies` and `bytes` are the sums of the
//    message columns (so `bytes` is bytes delivered), and `bytes_copied` (appended) the bytes the flow's copies
//    moved, lost messages included (the summary's `bytesCopied`; empty for a run without a summary).
// JSON is one object: the run record (metadata, settings, summary), the design snapshot and the flow statistics.
import type Database from 'better-sqlite3';
import type { Design } from '../../src-shared/model/design';
import { f64, u32, u8 } from './blob';
import { flowChunks, flowStats } from './queries';
import type { FlowStats, RunRecord } from './types';
import { IS_DELIVERED } from './writer';

/** Which rows a CSV export has. */
export type CsvRows = 'messages' | 'flows';

/**
 * Quotes a CSV field when needed (RFC 4180). Text that a spreadsheet would take for a formula (it starts with =, +,
 * −, @, a tab or a carriage return: names come from design files, which travel) is prefixed with an apostrophe.
 */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const TARGET_CHUNK = 1 << 20;

/** The message CSV as text pieces of about 1 MiB (stream them; a run may hold millions of samples). */
export function* messagesCsv(db: Database.Database, run: RunRecord): Generator<string> {
  yield 'run_id,flow_idx,flow_id,seq,send_ns,deliver_ns,latency_ns,bytes,copies,outcome\n';
  const names = run.outcomeNames.map(csvField);
  let out = '';
  for (const flow of run.flowTable) {
    const prefix = `${run.id},${flow.idx},${csvField(flow.id)},`;
    let seq = 0;
    for (const c of flowChunks(db, run.id, flow.idx)) {
      const s = f64(c.send_ns);
      const d = f64(c.deliver_ns);
      const by = u32(c.bytes);
      const cp = u8(c.copies);
      const o = u8(c.outcome);
      for (let i = 0; i < c.n; i++) {
        const di = d[i]!;
        const delivered = di === di;
        out += `${prefix}${seq++},${s[i]},${delivered ? di : ''},${delivered && IS_DELIVERED[o[i]!] === 1 ? di - s[i]! : ''},${by[i]},${cp[i]},${names[o[i]!] ?? o[i]}\n`;
        if (out.length >= TARGET_CHUNK) {
          yield out;
          out = '';
        }
      }
    }
  }
  if (out) yield out;
}

/** The per-flow CSV (small). Outcome columns follow the run's outcome names. */
export function flowsCsv(run: RunRecord, stats: FlowStats[]): string {
  const maxCode = Math.max(run.outcomeNames.length, ...stats.map((s) => s.outcomes.length));
  const outcomeCols = Array.from({ length: maxCode }, (_, i) => csvField(`outcome_${run.outcomeNames[i] ?? i}`));
  const summaryFlows = new Map((run.summary?.flows ?? []).map((f) => [f.id, f]));
  // `bytes` (delivered) sits next to `copies` for history's sake; `bytes_copied` is appended so no column moves.
  const header = ['run_id', 'flow_idx', 'flow_id', 'name', 'mechanism', 'sent', 'delivered', ...outcomeCols, 'copies', 'bytes', 'latency_min_ns', 'latency_mean_ns', 'latency_p50_ns', 'latency_p90_ns', 'latency_p99_ns', 'latency_max_ns', 'bytes_copied'];
  const lines = [header.join(',')];
  for (const s of stats) {
    const l = s.latencyNs;
    lines.push(
      [
        run.id,
        s.idx,
        csvField(s.id),
        csvField(s.name),
        csvField(summaryFlows.get(s.id)?.mechanism ?? ''),
        s.sent,
        s.delivered,
        ...Array.from({ length: maxCode }, (_, i) => s.outcomes[i] ?? 0),
        s.copies,
        s.bytes,
        csvField(l?.min),
        csvField(l?.mean),
        csvField(l?.p50),
        csvField(l?.p90),
        csvField(l?.p99),
        csvField(l?.max),
        csvField(summaryFlows.get(s.id)?.bytesCopied),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The JSON export object (`format`/`version` so other tools can check what they read). */
export function runJson(db: Database.Database, run: RunRecord, design: Design): Record<string, unknown> {
  return { format: 'tock-ipc-studio/run-export', version: 1, run, design, flowStats: flowStats(db, run.id) };
}
