import { copyFileSync, existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../../../src-main/cli/export';
import { findChromium } from '../../../src-main/cli/png';
import { runCommand } from '../../../src-main/cli/run';
import { runsCommand } from '../../../src-main/cli/runs';
import { dbPath, tempDir } from '../store/helpers';
import { invokeCli } from './invoke';

const root = join(__dirname, '../../..');
const example = join(root, 'resources/examples/dual-core-rp2040.json');
const dir = tempDir('tock-cli-export-');
let db: string;

function exp(...args: string[]): ReturnType<typeof invokeCli> {
  return invokeCli('export', exportCommand, args);
}

beforeAll(async () => {
  db = dbPath(dir, 'export');
  for (const seed of ['1', '2']) {
    const r = await invokeCli('run', runCommand, [example, '--seed', seed, '--duration', '1s', '--db', db]);
    expect(r.code, r.err).toBe(0);
  }
}, 120_000);

describe('tock-studio export', () => {
  it('writes SVG to stdout, or to --out atomically, with a recorded run drawn on it', async () => {
    const plain = await exp(example, '--format', 'svg');
    expect(plain.code, plain.err).toBe(0);
    expect(plain.out.startsWith('<svg')).toBe(true);
    expect(plain.out).not.toContain('p99');
    const out = join(dir, 'diagram.svg');
    const r = await exp(example, '--format', 'svg', '--run', '1', '--db', db, '--out', out, '--theme', 'dark');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/wrote [\d,]+ bytes of SVG with the results of run 1 to /);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('Results of run #1 · seed 1');
    expect(svg).toContain('fill="#0e1116"');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes Mermaid with results, and an HTML report comparing two runs with latency CDFs from the store', async () => {
    const m = await exp(example, '--format', 'mermaid', '--run', '2', '--db', db);
    expect(m.code, m.err).toBe(0);
    expect(m.out).toContain('results of run #2 (seed 2)');
    expect(m.out).toMatch(/-->\|"p99 /);
    const out = join(dir, 'report.html');
    const h = await exp(example, '--format', 'html', '--run', '1,2', '--db', db, '--out', out);
    expect(h.code, h.err).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Run <b>#1</b>');
    expect(html).toContain('<h2>Comparison</h2>');
    expect(html).toContain('#2 p99');
    // The chart is drawn from the recorded samples: one step line per flow with deliveries.
    expect(html.match(/<path d="M[\d.]+,[\d.]+ V/g)?.length).toBeGreaterThan(0);
  });

  it('compares oldest first in HTML whichever run is exported, with MPU, CPU and mechanism charts', async () => {
    const out = join(dir, 'report-newest.html');
    const h = await exp(example, '--format', 'html', '--run', '2,1', '--db', db, '--out', out);
    expect(h.code, h.err).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Run <b>#2</b>');
    expect(html).toContain('against run #1 (the baseline), so changes read old → new');
    expect(html).toContain('<th>#1 p50</th>');
    expect(html).toContain('<th>#2 p50</th>'); // every run has p50, p99 and lost
    expect(html).toContain('<b>#1 → #2</b>: the same design');
    for (const chart of ['MPU regions per process (peak / capacity)', 'CPU utilisation per kernel', 'Copies per mechanism (count · bytes)', 'Max queue depth per mechanism (red: it lost messages)']) expect(html).toContain(`aria-label="${chart}"`);
  });

  it('compares against the run --baseline names', async () => {
    const out = join(dir, 'report-baseline.html');
    const h = await exp(example, '--format', 'html', '--run', '1,2', '--baseline', '2', '--db', db, '--out', out);
    expect(h.code, h.err).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Against run #2 (made the baseline in Compare)');
    expect(html).toContain('<th>#2 p50</th>');
    expect(html).toContain('<b>#2 → #1</b>');
  });

  it('says so when the run was recorded from another version of the design', async () => {
    const edited = JSON.parse(readFileSync(example, 'utf8')) as { nodes: { id: string; params: Record<string, unknown> }[] };
    edited.nodes.find((n) => n.id === 'p0')!.params.payloadBytes = 512;
    const file = join(dir, 'edited.json');
    writeFileSync(file, JSON.stringify(edited));
    const r = await exp(file, '--format', 'svg', '--run', '1', '--db', db);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('note: run 1 was recorded from another version of this design; its results are drawn where ids match');
    expect(r.out).toContain('· recorded from another version of this design');
    const same = await exp(example, '--format', 'svg', '--run', '1', '--db', db);
    expect(same.err).toBe('');
    expect(same.out).not.toContain('another version');
  });

  it('lists what changed in the design between the compared runs in HTML', async () => {
    const edited = JSON.parse(readFileSync(example, 'utf8')) as { nodes: { id: string; params: Record<string, unknown> }[] };
    edited.nodes.find((n) => n.id === 'p0')!.params.payloadBytes = 256;
    const file = join(dir, 'edited-256.json');
    writeFileSync(file, JSON.stringify(edited));
    const ran = await invokeCli('run', runCommand, [file, '--duration', '100ms', '--db', db]);
    expect(ran.code, ran.err).toBe(0);
    const id = /run (\d+)/.exec(ran.out + ran.err)![1]!;
    const out = join(dir, 'report-changed.html');
    const h = await exp(file, '--format', 'html', '--run', `${id},1`, '--db', db, '--out', out);
    expect(h.code, h.err).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain(`<b>#1 → #${id}</b>: 1 change in the design.`);
    expect(html).toMatch(/Payload/);
  });

  it('refuses bad requests with a clear message and writes nothing', async () => {
    const cases: [string[], RegExp, number][] = [
      [[example], /--format \(missing\): one of svg, png, html, mermaid/, 2],
      [[example, '--format', 'gif'], /--format gif: one of/, 2],
      [[example, '--format', 'png'], /--format png needs --out/, 2],
      [[example, '--format', 'svg', '--run', '1,2', '--db', db], /svg shows one run; only html compares several/, 2],
      [[example, '--format', 'svg', '--run', 'x', '--db', db], /"x" is not a run id/, 2],
      [[example, '--format', 'html', '--run', '1,2', '--baseline', '3', '--db', db], /--baseline 3: one of the runs compared/, 2],
      [[example, '--format', 'svg', '--run', '99', '--db', db], /no run 99/, 1],
      [[example, '--format', 'svg', '--theme', 'pink'], /--theme pink: light or dark/, 2],
      [[example, '--format', 'png', '--out', join(dir, 'x.png'), '--scale', '9'], /--scale 9: a whole number from 1 to 4/, 2],
      [[join(dir, 'missing.json'), '--format', 'svg'], /missing\.json: no such file/, 1],
    ];
    for (const [args, msg, code] of cases) {
      const r = await exp(...args);
      expect(r.err, args.join(' ')).toMatch(msg);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.out).toBe('');
    }
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'tock-ipc-studio/design', version: 1, name: 'x', nodes: [{ id: 'a', kind: 'nope', name: 'a', position: { x: 0, y: 0 } }], edges: [], run: { durationNs: 1, seed: 1 } }));
    const target = join(dir, 'never.svg');
    const r = await exp(bad, '--format', 'svg', '--out', target);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/invalid design, nothing exported/);
    expect(existsSync(target)).toBe(false);
  });

  it('never writes over the run database or the design it reads, under any name (a symlink is written through)', async () => {
    const design = join(dir, 'mine.json');
    copyFileSync(example, design);
    const dbLink = join(dir, 'db-link.sqlite');
    symlinkSync(db, dbLink);
    const before = { db: readFileSync(db), design: readFileSync(design) };
    const cases: [string[], RegExp][] = [
      [[design, '--format', 'mermaid', '--out', design], /--out .*mine\.json: that is the design file being exported/],
      [[design, '--format', 'svg', '--run', '1', '--db', db, '--out', db], /that is the run database/],
      [[design, '--format', 'svg', '--run', '1', '--db', db, '--out', dbLink], /--out .*db-link\.sqlite: that is the run database/],
      [[design, '--format', 'svg', '--db', db, '--out', `${db}-wal`], /that is the run database/],
      [[design, '--format', 'png', '--db', dbLink, '--out', db], /that is the run database/],
    ];
    for (const [args, msg] of cases) {
      const r = await exp(...args);
      expect(r.err, args.join(' ')).toMatch(msg);
      expect(r.code, args.join(' ')).toBe(2);
    }
    const csv = await invokeCli('runs', runsCommand, ['export', '1', '--format', 'csv', '--db', dbLink, '--out', db]);
    expect(csv.err).toMatch(/that is the run database/);
    expect(csv.code).toBe(2);
    expect(readFileSync(db).equals(before.db)).toBe(true);
    expect(readFileSync(design).equals(before.design)).toBe(true);
    // An output that is a symlink to another file: that file gets the export, and the link stays a link.
    const real = join(dir, 'real.svg');
    writeFileSync(real, 'old');
    const link = join(dir, 'link.svg');
    symlinkSync(real, link);
    const r = await exp(design, '--format', 'svg', '--out', link);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(real, 'utf8').startsWith('<svg')).toBe(true);
    expect(readFileSync(link, 'utf8').startsWith('<svg')).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(findChromium() === null)('rasterises PNG with the Chromium found on the machine', async () => {
    const out = join(dir, 'diagram.png');
    const r = await exp(example, '--format', 'png', '--run', '1', '--db', db, '--out', out, '--scale', '1');
    expect(r.code, r.err).toBe(0);
    const png = readFileSync(out);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR: width and height of the image, at scale 1 the SVG's own size.
    const svg = (await exp(example, '--format', 'svg', '--run', '1', '--db', db)).out;
    const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!;
    expect(png.readUInt32BE(16)).toBe(Number(w));
    expect(png.readUInt32BE(20)).toBe(Number(h));
  }, 90_000);
});
