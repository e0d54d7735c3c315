// Re-records test/fixtures/golden-fingerprints.json from resources/examples. Run only when a behaviour change is
// intended (and bump ENGINE_VERSION in src-main/engine/tock/run.ts).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseDesignText } from '../src-shared/model';
import { goldenOf, type GoldenEntry } from '../src-main/engine/tock/golden';

const dir = new URL('../resources/examples/', import.meta.url);
const out: Record<string, GoldenEntry> = {};
for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
  const r = parseDesignText(readFileSync(new URL(f, dir), 'utf8'));
  if (!r.ok) throw new Error(`${f} is not valid`);
  try {
    out[f] = goldenOf(r.design);
    console.log(`${f}: ${out[f].fingerprint} (${out[f].events} events)`);
  } catch (e) {
    console.log(`${f}: not recorded (${e instanceof Error ? e.message : String(e)})`);
  }
}
writeFileSync(new URL('../test/fixtures/golden-fingerprints.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
