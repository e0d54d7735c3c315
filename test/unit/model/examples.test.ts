import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveFlows, parseDesignText } from '../../../src-shared/model';

const dir = join(__dirname, '../../../resources/examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('templates in resources/examples', () => {
  it('ship one file per template of product.md', () => {
    expect(files).toEqual([
      'can-latest-value.json',
      'dual-core-rp2040.json',
      'event-counters.json',
      'mechanisms-compare.json',
      'queues.json',
      'stm32-ethernet.json',
      'virtio-qemu.json',
      'wifi-http-server.json',
    ]);
  });

  it.each(files)('%s is a valid design with flows', (file) => {
    const r = parseDesignText(readFileSync(join(dir, file), 'utf8'));
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.design.description?.length).toBeGreaterThan(40);
    expect(deriveFlows(r.design).length).toBeGreaterThan(0);
  });
});
