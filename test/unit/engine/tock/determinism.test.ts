import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDesignText, type Design } from '../../../../src-shared/model';
import { goldenOf, type GoldenEntry } from '../../../../src-main/engine/tock/golden';
import { runDesign, type RunOutput } from '../../../../src-main/engine/tock/run';
import { MemoryRecorder } from '../../../../src-main/engine/core/recorder';
import { eightProducers } from '../../../../scripts/benchDesigns';

const root = join(__dirname, '../../../..');
const examplesDir = join(root, 'resources/examples');
const golden = JSON.parse(readFileSync(join(root, 'test/fixtures/golden-fingerprints.json'), 'utf8')) as Record<string, GoldenEntry>;

function example(file: string): Design {
  const r = parseDesignText(readFileSync(join(examplesDir, file), 'utf8'));
  if (!r.ok) throw new Error(`${file} invalid`);
  return r.design;
}

describe('determinism', () => {
  it('same design + same seed ⇒ the same summary, byte for byte, and the same fingerprint', () => {
    const d = example('queues.json');
    const a = runDesign(d, 'h', { seed: 3, durationNs: 300_000_000 });
    const b = runDesign(example('queues.json'), 'h', { seed: 3, durationNs: 300_000_000 });
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
    expect(b.fingerprint).toBe(a.fingerprint);
    const c = runDesign(d, 'h', { seed: 4, durationNs: 300_000_000 });
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });
});

describe('deferred job completions (an event-count optimisation) change no result', () => {
  const designs: [string, Design][] = readdirSync(examplesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, example(f)]);
  designs.push(['8 producers → two-copy → service', eightProducers(400)]);
  // The same with the service crashing at random (restarted after 1 ms by default).
  const crashy = eightProducers(400);
  crashy.nodes.push({ id: 'pc', kind: 'processCrash', name: 'crash', position: { x: 0, y: 0 }, params: { targetId: 'svc', trigger: 'atRate', ratePerSec: 40 } });
  designs.push(['… with crashes of the service', crashy]);
  it.each(designs)('%s: same summary, messages and series with and without a trace budget', (_name, design) => {
    const run = (maxTrace: number): { out: RunOutput; rec: MemoryRecorder } => {
      const rec = new MemoryRecorder();
      return { out: runDesign(design, 'h', { seed: 5, durationNs: 400_000_000, maxTrace, recorder: rec }), rec };
    };
    const traced = run(1_000_000);
    const untraced = run(0);
    // The untraced run defers quiet completions from the start, so it needs fewer events (and hashes others).
    expect(untraced.out.summary.events).toBeLessThan(traced.out.summary.events);
    if (design === crashy) expect(traced.out.summary.processes.find((p) => p.id === 'svc')!.restarts).toBeGreaterThan(5);
    expect({ ...untraced.out.summary, events: 0 }).toEqual({ ...traced.out.summary, events: 0 });
    const columns = (r: MemoryRecorder): unknown => [r.msgFlow, r.msgSendNs, r.msgDeliverNs, r.msgBytes, r.msgCopies, r.msgOutcome];
    expect(columns(untraced.rec)).toEqual(columns(traced.rec));
    for (let i = 0; i < untraced.out.series.length; i++) expect(untraced.rec.seriesPoints(i)).toEqual(traced.rec.seriesPoints(i));
  });
});

describe('golden fingerprints (re-record with `npm run golden:update` only for an intended change)', () => {
  it.each(Object.keys(golden))('%s', (file) => {
    expect(goldenOf(example(file))).toEqual(golden[file]);
  });
  it('cover every example', () => {
    expect(Object.keys(golden).sort()).toEqual(readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort());
  });
});
