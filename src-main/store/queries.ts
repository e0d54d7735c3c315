// Chart queries, answered in the main process so the renderer receives N bins / points / buckets, never samples.
// Latency distributions read the flow's sorted latencies (stored at the end of the run: one BLOB read, then an
// O(N log n) pick); runs that never finished (interrupted) have none, so they are computed from the chunks.
import type Database from 'better-sqlite3';
import { concatF64, f64, u32, u8 } from './blob';
import { StoreError } from './errors';
import { lowerBound, quantileSorted, sortedFloat64, upperBound } from './sort';
import { IS_DELIVERED } from './writer';
import type { DownsampledSeries, FlowRef, FlowStats, LatencyCdf, LatencyHistogram, LatencyOverTime, RunId, SeriesInfo, TraceEvent, TraceQuery } from './types';

/** Largest N accepted for bins / points / buckets (the renderer never needs more). */
export const MAX_POINTS = 10_000;

function checkCount(what: string, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_POINTS) throw new StoreError('invalid', `${what} must be an integer from 1 to ${MAX_POINTS}, not ${n}`);
  return n;
}

function checkRun(db: Database.Database, runId: RunId): { sim_time_ns: number | null } {
  const row = db.prepare('SELECT sim_time_ns FROM runs WHERE id = ?').get(runId) as { sim_time_ns: number | null } | undefined;
  if (!row) throw new StoreError('not-found', `no run ${runId}`);
  return row;
}

/** The run's flow table: stored rows, plus placeholders for flow indices that have samples but no row. */
export function flowTable(db: Database.Database, runId: RunId): FlowRef[] {
  checkRun(db, runId);
  const rows = db.prepare('SELECT idx, flow_id AS id, name FROM run_flows WHERE run_id = ? ORDER BY idx').all(runId) as FlowRef[];
  const known = new Set(rows.map((r) => r.idx));
  const used = db.prepare('SELECT DISTINCT flow_idx FROM msg_chunks WHERE run_id = ? UNION SELECT idx FROM flow_stats WHERE run_id = ?').pluck().all(runId, runId) as number[];
  for (const idx of used) if (!known.has(idx)) rows.push({ idx, id: `#${idx}`, name: `flow #${idx}` });
  return rows.sort((a, b) => a.idx - b.idx);
}

/** Finds a flow by id (string) or index (number); `StoreError('not-found')` names the known ids otherwise. */
export function resolveFlow(db: Database.Database, runId: RunId, flow: string | number): FlowRef {
  const table = flowTable(db, runId);
  const hit = typeof flow === 'number' ? table.find((f) => f.idx === flow) : (table.find((f) => f.id === flow) ?? (/^#\d+$/.test(flow) ? table.find((f) => f.idx === Number(flow.slice(1))) : undefined));
  if (!hit) {
    const ids = table.slice(0, 10).map((f) => f.id);
    throw new StoreError('not-found', `run ${runId} has no flow ${JSON.stringify(flow)}${ids.length ? ` (flows: ${ids.join(', ')}${table.length > 10 ? ', …' : ''})` : ' (it has no flows)'}`);
  }
  return hit;
}

type ChunkRow = { n: number; send_ns: Buffer; deliver_ns: Buffer; bytes: Buffer; copies: Buffer; outcome: Buffer };

/**
 * The message chunks of one flow in order (column views). Each chunk is fetched by its own query, so no statement
 * stays open between yields: a consumer may pause (stream an export) while the connection serves other calls.
 */
export function* flowChunks(db: Database.Database, runId: RunId, flowIdx: number, columns = 'n, send_ns, deliver_ns, bytes, copies, outcome'): Generator<ChunkRow> {
  const next = db.prepare(`SELECT seq, ${columns} FROM msg_chunks WHERE run_id = ? AND flow_idx = ? AND seq > ? ORDER BY seq LIMIT 1`);
  let seq = -1;
  for (;;) {
    const row = next.get(runId, flowIdx, seq) as (ChunkRow & { seq: number }) | undefined;
    if (!row) return;
    seq = row.seq;
    yield row;
  }
}

/** Delivered latencies of a flow, sorted: stored at the run's end, else computed from the chunks. */
export function sortedLatencies(db: Database.Database, runId: RunId, flowIdx: number): Float64Array {
  const row = db.prepare('SELECT latency_sorted FROM flow_stats WHERE run_id = ? AND idx = ?').get(runId, flowIdx) as { latency_sorted: Buffer } | undefined;
  if (row) return f64(row.latency_sorted);
  const parts: Float64Array[] = [];
  for (const c of flowChunks(db, runId, flowIdx, 'n, send_ns, deliver_ns, outcome')) {
    const s = f64(c.send_ns);
    const d = f64(c.deliver_ns);
    const o = u8(c.outcome);
    const lat = new Float64Array(c.n);
    let k = 0;
    for (let i = 0; i < c.n; i++) {
      const di = d[i]!;
      if (IS_DELIVERED[o[i]!] === 1 && di === di) lat[k++] = di - s[i]!;
    }
    parts.push(lat.subarray(0, k));
  }
  return sortedFloat64(parts.length ? concatF64(parts) : new Float64Array(0));
}

/**
 * Latency histogram of a flow in `bins` equal bins over [fromNs, toNs] (default: min..max of the delivered
 * latencies; a zero-width range becomes 1 ns per bin). Samples outside the range are not counted.
 */
export function latencyHistogram(db: Database.Database, runId: RunId, flow: string | number, bins: number, range: { fromNs?: number; toNs?: number } = {}): LatencyHistogram {
  checkCount('bins', bins);
  const ref = resolveFlow(db, runId, flow);
  const s = sortedLatencies(db, runId, ref.idx);
  const n = s.length;
  if (n === 0 && (range.fromNs === undefined || range.toNs === undefined)) return { runId, flow: ref, samples: 0, edgesNs: [], counts: [] };
  const lo = range.fromNs ?? s[0]!;
  let hi = range.toNs ?? s[n - 1]!;
  if (!(hi >= lo)) throw new StoreError('invalid', `histogram range: toNs ${hi} is below fromNs ${lo}`);
  if (hi === lo) hi = lo + bins;
  const edgesNs: number[] = [];
  for (let i = 0; i <= bins; i++) edgesNs.push(i === bins ? hi : lo + ((hi - lo) * i) / bins);
  const counts: number[] = [];
  let samples = 0;
  for (let i = 0; i < bins; i++) {
    const a = lowerBound(s, edgesNs[i]!);
    const b = i === bins - 1 ? upperBound(s, hi) : lowerBound(s, edgesNs[i + 1]!);
    counts.push(b - a);
    samples += b - a;
  }
  return { runId, flow: ref, samples, edgesNs, counts };
}

/**
 * The empirical CDF of a flow's delivered latencies at ≤ `points` points: sample ranks k_i = round(i·(n−1)/(P−1))
 * (so the first point is the minimum and the last the maximum), each with the exact fraction of samples ≤ it;
 * consecutive equal latencies are merged.
 */
export function latencyCdf(db: Database.Database, runId: RunId, flow: string | number, points: number): LatencyCdf {
  checkCount('points', points);
  const ref = resolveFlow(db, runId, flow);
  const s = sortedLatencies(db, runId, ref.idx);
  const n = s.length;
  const latencyNs: number[] = [];
  const fraction: number[] = [];
  if (n > 0) {
    const p = Math.min(points, n);
    for (let i = 0; i < p; i++) {
      const k = p === 1 ? n - 1 : Math.round((i * (n - 1)) / (p - 1));
      const x = s[k]!;
      if (latencyNs.length && latencyNs[latencyNs.length - 1] === x) continue;
      latencyNs.push(x);
      fraction.push(upperBound(s, x) / n);
    }
  }
  return { runId, flow: ref, samples: n, latencyNs, fraction };
}

/** Per-flow statistics from the samples (exact, nearest-rank percentiles), for every flow of the run. */
export function flowStats(db: Database.Database, runId: RunId): FlowStats[] {
  const table = flowTable(db, runId);
  const stored = new Map(
    (db.prepare('SELECT idx, sent, delivered, outcomes_json, copies, bytes, latency_sum FROM flow_stats WHERE run_id = ?').all(runId) as {
      idx: number;
      sent: number;
      delivered: number;
      outcomes_json: string;
      copies: number;
      bytes: number;
      latency_sum: number;
    }[]).map((r) => [r.idx, r]),
  );
  return table.map((f) => {
    let sent = 0;
    let copies = 0;
    let bytes = 0;
    const outcomes: number[] = [];
    const st = stored.get(f.idx);
    if (st) {
      sent = st.sent;
      copies = st.copies;
      bytes = st.bytes;
      for (const [code, c] of Object.entries(JSON.parse(st.outcomes_json) as Record<string, number>)) outcomes[Number(code)] = c;
    } else {
      for (const c of flowChunks(db, runId, f.idx, 'n, bytes, copies, outcome')) {
        sent += c.n;
        const by = u32(c.bytes);
        const cp = u8(c.copies);
        const o = u8(c.outcome);
        for (let i = 0; i < c.n; i++) {
          copies += cp[i]!;
          bytes += by[i]!;
          outcomes[o[i]!] = (outcomes[o[i]!] ?? 0) + 1;
        }
      }
    }
    for (let i = 0; i < outcomes.length; i++) outcomes[i] ??= 0;
    const s = sortedLatencies(db, runId, f.idx);
    let sum = 0;
    if (st) sum = st.latency_sum;
    else for (let i = 0; i < s.length; i++) sum += s[i]!;
    const latencyNs = s.length
      ? { min: s[0]!, mean: sum / s.length, p50: quantileSorted(s, 0.5), p90: quantileSorted(s, 0.9), p99: quantileSorted(s, 0.99), max: s[s.length - 1]! }
      : null;
    return { idx: f.idx, id: f.id, name: f.name, sent, delivered: s.length, outcomes, copies, bytes, latencyNs };
  });
}

function buckets(count: number, fromNs: number, toNs: number): { t: number[]; bucketNs: number; ends: number[] } {
  const bucketNs = (toNs - fromNs) / count;
  const t: number[] = [];
  const ends: number[] = [];
  for (let b = 0; b < count; b++) {
    t.push(fromNs + bucketNs * b);
    ends.push(b === count - 1 ? toNs : fromNs + bucketNs * (b + 1));
  }
  return { t, bucketNs, ends };
}

/** Latency over delivery time: per bucket, count / min / max / mean of delivered latencies. */
export function latencyOverTime(db: Database.Database, runId: RunId, flow: string | number, count: number, range: { fromNs?: number; toNs?: number } = {}): LatencyOverTime {
  checkCount('buckets', count);
  const run = checkRun(db, runId);
  const ref = resolveFlow(db, runId, flow);
  const chunks = [...flowChunks(db, runId, ref.idx, 'n, send_ns, deliver_ns, outcome')];
  let maxDeliver = 0;
  if (range.toNs === undefined && run.sim_time_ns === null) {
    for (const c of chunks) {
      const d = f64(c.deliver_ns);
      for (let i = 0; i < c.n; i++) if (d[i]! > maxDeliver) maxDeliver = d[i]!;
    }
  }
  const fromNs = range.fromNs ?? 0;
  let toNs = range.toNs ?? run.sim_time_ns ?? maxDeliver;
  if (toNs <= fromNs) toNs = fromNs + count;
  const { t, bucketNs } = buckets(count, fromNs, toNs);
  const cnt = new Float64Array(count);
  const mn = new Float64Array(count).fill(Infinity);
  const mx = new Float64Array(count).fill(-Infinity);
  const sum = new Float64Array(count);
  const scale = count / (toNs - fromNs);
  for (const c of chunks) {
    const s = f64(c.send_ns);
    const d = f64(c.deliver_ns);
    const o = u8(c.outcome);
    for (let i = 0; i < c.n; i++) {
      const di = d[i]!;
      if (IS_DELIVERED[o[i]!] !== 1 || !(di >= fromNs && di <= toNs)) continue;
      const b = Math.min(count - 1, Math.floor((di - fromNs) * scale));
      const lat = di - s[i]!;
      cnt[b]!++;
      sum[b]! += lat;
      if (lat < mn[b]!) mn[b] = lat;
      if (lat > mx[b]!) mx[b] = lat;
    }
  }
  const has = (i: number): boolean => cnt[i]! > 0;
  return {
    runId,
    flow: ref,
    fromNs,
    toNs,
    bucketNs,
    t,
    count: Array.from(cnt),
    min: Array.from(mn, (v, i) => (has(i) ? v : null)),
    max: Array.from(mx, (v, i) => (has(i) ? v : null)),
    mean: Array.from(sum, (v, i) => (has(i) ? v / cnt[i]! : null)),
  };
}

/** The series stored for a run (no points), by key. */
export function listSeries(db: Database.Database, runId: RunId): SeriesInfo[] {
  checkRun(db, runId);
  return db.prepare('SELECT key, points, t_min AS tMinNs, t_max AS tMaxNs, v_min AS vMin, v_max AS vMax FROM series WHERE run_id = ? ORDER BY key').all(runId) as SeriesInfo[];
}

type SeriesChunkRow = { seq: number; n: number; times: Buffer; vals: Buffer };

/**
 * A piecewise-constant series downsampled to `count` buckets over [fromNs, toNs] (default 0 .. the run's
 * simulated time, or the last point): per bucket min and max of every value that held there for some time (the
 * value carried in from before included; a value superseded at the same instant excluded), the time-weighted
 * mean and the value at the bucket's end. The last bucket is closed, so a point at `toNs` counts.
 */
export function downsampleSeries(db: Database.Database, runId: RunId, key: string, count: number, range: { fromNs?: number; toNs?: number } = {}): DownsampledSeries {
  checkCount('buckets', count);
  const run = checkRun(db, runId);
  const info = db.prepare('SELECT id, points, t_max FROM series WHERE run_id = ? AND key = ?').get(runId, key) as { id: number; points: number; t_max: number | null } | undefined;
  if (!info) {
    const keys = listSeries(db, runId)
      .slice(0, 10)
      .map((s) => s.key);
    throw new StoreError('not-found', `run ${runId} has no series ${JSON.stringify(key)}${keys.length ? ` (series: ${keys.join(', ')}…)` : ' (it has no series)'}`);
  }
  const fromNs = range.fromNs ?? 0;
  let toNs = range.toNs ?? Math.max(run.sim_time_ns ?? 0, info.t_max ?? 0);
  if (toNs <= fromNs) toNs = fromNs + count;
  // Chunks overlapping the range, plus the one holding the value carried into it.
  const carry = db.prepare('SELECT seq, n, times, vals FROM series_chunks WHERE series_id = ? AND t_first <= ? ORDER BY seq DESC LIMIT 1').get(info.id, fromNs) as SeriesChunkRow | undefined;
  const inRange = db.prepare('SELECT seq, n, times, vals FROM series_chunks WHERE series_id = ? AND t_last >= ? AND t_first <= ? ORDER BY seq').all(info.id, fromNs, toNs) as SeriesChunkRow[];
  const rows = inRange.slice();
  if (carry && !rows.some((r) => r.seq === carry.seq)) rows.unshift(carry);
  rows.sort((a, b) => a.seq - b.seq);
  const T = concatF64(rows.length ? rows.map((r) => f64(r.times)) : [new Float64Array(0)]);
  const V = concatF64(rows.length ? rows.map((r) => f64(r.vals)) : [new Float64Array(0)]);
  const n = T.length;

  const { t, bucketNs, ends } = buckets(count, fromNs, toNs);
  const min: (number | null)[] = [];
  const max: (number | null)[] = [];
  const mean: (number | null)[] = [];
  const last: (number | null)[] = [];
  let cur: number | null = null;
  let j = 0;
  let points = 0;
  while (j < n && T[j]! <= fromNs) {
    if (T[j] === fromNs) points++;
    cur = V[j++]!;
  }
  for (let b = 0; b < count; b++) {
    const start = t[b]!;
    const end = ends[b]!;
    const closed = b === count - 1;
    let mn = Infinity;
    let mx = -Infinity;
    let acc = 0;
    let dur = 0;
    let tPrev = start;
    if (cur !== null && !(j < n && T[j] === start)) mn = mx = cur;
    while (j < n && (T[j]! < end || (closed && T[j]! <= end))) {
      const tj = T[j]!;
      points++;
      if (j + 1 < n && T[j + 1] === tj) {
        j++; // superseded at the same instant
        continue;
      }
      if (cur !== null) {
        acc += cur * (tj - tPrev);
        dur += tj - tPrev;
      }
      cur = V[j]!;
      tPrev = tj;
      if (cur < mn) mn = cur;
      if (cur > mx) mx = cur;
      j++;
    }
    if (cur !== null && end > tPrev) {
      acc += cur * (end - tPrev);
      dur += end - tPrev;
    }
    min.push(mn === Infinity ? null : mn);
    max.push(mx === -Infinity ? null : mx);
    mean.push(dur > 0 ? acc / dur : cur);
    last.push(cur);
  }
  return { runId, key, fromNs, toNs, points, t, bucketNs, min, max, mean, last };
}

type TraceCols = { dict: string[]; kernel: number[]; process: number[]; kind: number[]; detail: string[] };

/** Trace events of a run in time order (then recording order), filtered; default limit 5,000, at most 100,000. */
export function traceEvents(db: Database.Database, runId: RunId, q: TraceQuery = {}): TraceEvent[] {
  checkRun(db, runId);
  const limit = Math.min(100_000, Math.max(1, Math.floor(q.limit ?? 5_000)));
  const from = q.fromNs ?? -Infinity;
  const to = q.toNs ?? Infinity;
  const rows = db
    .prepare('SELECT first_event, n, times, cols FROM trace_chunks WHERE run_id = ? AND t_last >= ? AND t_first <= ? ORDER BY seq')
    .all(runId, Number.isFinite(from) ? from : -1e308, Number.isFinite(to) ? to : 1e308) as { first_event: number; n: number; times: Buffer; cols: string }[];
  const out: TraceEvent[] = [];
  let ordered = true;
  let lastT = -Infinity;
  for (const r of rows) {
    const times = f64(r.times);
    const c = JSON.parse(r.cols) as TraceCols;
    const kernelCode = q.kernelId === undefined ? -2 : c.dict.indexOf(q.kernelId);
    const kindCode = q.kind === undefined ? -2 : c.dict.indexOf(q.kind);
    if (kernelCode === -1 || kindCode === -1) continue; // not in this chunk at all
    for (let i = 0; i < r.n; i++) {
      const t = times[i]!;
      if (t < from || t > to) continue;
      if (kernelCode >= 0 && c.kernel[i] !== kernelCode) continue;
      if (kindCode >= 0 && c.kind[i] !== kindCode) continue;
      if (t < lastT) ordered = false;
      lastT = t;
      const p = c.process[i]!;
      out.push({ seq: r.first_event + i, timeNs: t, kernelId: c.dict[c.kernel[i]!]!, processId: p < 0 ? null : c.dict[p]!, kind: c.dict[c.kind[i]!]!, detail: c.detail[i]! });
      if (ordered && out.length >= limit) return out;
    }
  }
  if (!ordered) out.sort((a, b) => a.timeNs - b.timeNs || a.seq - b.seq);
  return out.slice(0, limit);
}
