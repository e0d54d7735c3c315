import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDesignText, type Design } from '../../../../src-shared/model';
import { goldenOf, type GoldenEntry } from '../../../../src-main/engine/tock/golden';
import { runDesign } from '../../../../src-main/engine/tock/run';

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

describe('golden fingerprints (re-record with `npm run golden:update` only for an intended change)', () => {
  it.each(Object.keys(golden))('%s', (file) => {
    expect(goldenOf(example(file))).toEqual(golden[file]);
  });
  it('cover every example', () => {
    expect(Object.keys(golden).sort()).toEqual(readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort());
  });
});
