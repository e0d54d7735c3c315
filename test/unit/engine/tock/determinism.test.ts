import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadDesignObject, parseDesignText, type Design } from '../../../../src-shared/model';
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

describe('deferred job completions on varied designs (property)', () => {
  it('give the same results as scheduled ones under every scheduler, workload and service-time shape', () => {
    const files = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
    const variant = fc.record({
      file: fc.constantFrom(...files),
      scheduler: fc.constantFrom('roundRobin', 'mlfq', 'priority', 'cooperative'),
      timesliceNs: fc.integer({ min: 500_000, max: 20_000_000 }),
      workload: fc.constantFrom(undefined, 'periodic', 'poisson', 'burst'),
      periodNs: fc.integer({ min: 20_000, max: 3_000_000 }),
      serviceTimeDist: fc.constantFrom(undefined, 'constant', 'uniform', 'exponential'),
      serviceTimeNs: fc.integer({ min: 0, max: 200_000 }),
      seed: fc.nat(1000),
    });
    let compared = 0;
    fc.assert(
      fc.property(variant, (v) => {
        const d = structuredClone(example(v.file));
        for (const n of d.nodes) {
          if (n.kind === 'kernel') Object.assign(n.params, { scheduler: v.scheduler, timesliceNs: v.timesliceNs });
          if (n.kind === 'process' && v.workload && n.params.workload !== 'none' && n.params.workload !== 'forward' && n.params.workload !== 'requestResponse') Object.assign(n.params, { workload: v.workload, periodNs: v.periodNs, ratePerSec: 1e9 / v.periodNs, burstPeriodNs: v.periodNs * 4 });
          if (n.kind === 'service' && v.serviceTimeDist) Object.assign(n.params, { serviceTimeDist: v.serviceTimeDist, serviceTimeNs: v.serviceTimeNs, serviceSpreadNs: v.serviceTimeNs / 2 });
        }
        const loaded = loadDesignObject(d);
        if (!loaded.ok || loaded.findings.some((f) => f.severity === 'error')) return; // a variant the validator refuses
        compared++;
        const opts = { seed: v.seed, durationNs: 60_000_000 };
        const traced = runDesign(loaded.design, 'h', { ...opts, maxTrace: 1_000_000 });
        const untraced = runDesign(loaded.design, 'h', { ...opts, maxTrace: 0 });
        expect(untraced.summary.events).toBeLessThanOrEqual(traced.summary.events);
        expect({ ...untraced.summary, events: 0 }).toEqual({ ...traced.summary, events: 0 });
      }),
      { numRuns: 60, seed: 20261121 },
    );
    expect(compared).toBeGreaterThan(30);
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
