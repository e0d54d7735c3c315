// The run CSV's columns say what they hold: `bytes` is the payload delivered (0 for a message that did not arrive,
// copied or not), so bytes copied has its own appended column, and every column is documented.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../../src-main/store';
import { batch, dbPath, flow, smallDesign, summary, tempDir } from './helpers';

const dir = tempDir();
const docs = readFileSync(join(__dirname, '../../../docs/run-export.md'), 'utf8');

/** A CSV line's fields by header name (no quoted commas in these tests). */
function byName(csv: string): Record<string, string>[] {
  const [head, ...rows] = csv.trimEnd().split('\n');
  const names = head!.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [names[i]!, v])));
}

describe('the per-flow CSV', () => {
  it('appends bytes_copied (the bytes the flow’s copies moved, lost messages included) after the columns it had', () => {
    const store = RunStore.open(dbPath(dir));
    const w = store.beginRun({ design: smallDesign(), seed: 1, engineVersion: 'e', flows: [{ id: 'x>m>y', name: 'x → m → y' }] });
    // One message delivered (64 B, copied twice); one copied twice into a ring, then overwritten.
    w.addMessages(batch([
      [0, 0, 100, 64, 2, 0],
      [0, 10, 60, 0, 2, 2],
    ]));
    w.finish(summary({ flows: [flow('x>m>y', { name: 'x → m → y', sent: 2, delivered: 1, overwritten: 1, bytesCopied: 256 })] }), { wallMs: 1, events: 2 });
    const csv = [...store.exportCsv(w.runId, 'flows')].join('');
    const head = csv.split('\n')[0]!.split(',');
    // The contract: the columns that were there keep their places; the new one comes last.
    expect(head.slice(0, 21)).toEqual(['run_id', 'flow_idx', 'flow_id', 'name', 'mechanism', 'sent', 'delivered', 'outcome_delivered', 'outcome_dropped', 'outcome_overwritten', 'outcome_timedOut', 'outcome_failed', 'outcome_truncated', 'copies', 'bytes', 'latency_min_ns', 'latency_mean_ns', 'latency_p50_ns', 'latency_p90_ns', 'latency_p99_ns', 'latency_max_ns']);
    expect(head.at(-1)).toBe('bytes_copied');
    const [row] = byName(csv);
    // `bytes` is what was delivered; `bytes_copied` what the copies moved.
    expect(row).toMatchObject({ copies: '4', bytes: '64', bytes_copied: '256', outcome_overwritten: '1' });
    // The messages: the overwritten one was copied (copies 2) and delivered nothing (bytes 0).
    expect(byName([...store.exportCsv(w.runId)].join('')).map((r) => [r.outcome, r.bytes, r.copies])).toEqual([
      ['delivered', '64', '2'],
      ['overwritten', '0', '2'],
    ]);
    store.close();
  });

  it('leaves bytes_copied empty for a run without a summary (interrupted)', () => {
    const store = RunStore.open(dbPath(dir));
    const w = store.beginRun({ design: smallDesign(), seed: 1, engineVersion: 'e', flows: [{ id: 'x>m>y', name: 'x → m → y' }] });
    w.addMessages(batch([[0, 0, 100, 8, 1, 0]]));
    w.cancel();
    const [row] = byName([...store.exportCsv(w.runId, 'flows')].join(''));
    expect(row!.bytes_copied).toBe('');
    store.close();
  });
});

describe('docs/run-export.md', () => {
  it('documents every column of both CSV shapes, and what `bytes` is', () => {
    const store = RunStore.open(dbPath(dir));
    const w = store.beginRun({ design: smallDesign(), seed: 1, engineVersion: 'e', flows: [{ id: 'a', name: 'a' }] });
    w.addMessages(batch([[0, 0, 10, 8, 1, 0]]));
    w.finish(summary({ flows: [flow('a')] }), { wallMs: 0, events: 1 });
    const columns = new Set([...[...store.exportCsv(w.runId)].join('').split('\n')[0]!.split(','), ...[...store.exportCsv(w.runId, 'flows')].join('').split('\n')[0]!.split(',')]);
    store.close();
    for (const c of columns) expect(docs, c).toContain(`\`${c}\``);
    expect(docs).toMatch(/`bytes` \| \*\*payload bytes delivered\*\*.*\*\*0 for every message that did not arrive\*\*.*\*\*even one that was copied\*\*/);
    expect(docs).toContain('columns are only ever appended');
  });
});
