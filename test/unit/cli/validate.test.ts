import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, openSync, ftruncateSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { invokeMain } from './invoke';

const root = join(__dirname, '../../..');
const example = join(root, 'resources/examples/queues.json');

const cli = (...args: string[]): ReturnType<typeof invokeMain> => invokeMain(args);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tock-cli-'));
});

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('tock-studio validate', () => {
  it('exits 0 on a valid design and says so', async () => {
    const r = await cli('validate', example);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/valid \(9 nodes, 6 edges/);
  });

  it('prints warnings and still exits 0', async () => {
    const r = await cli('validate', join(root, 'resources/examples/dual-core-rp2040.json'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/warning nodes\[5\]\.params\.mode: .*fate-sharing.* \(Inter-kernel channel “ikc by reference”\)$/m);
  });

  it('exits 1 with one line per error, each naming its path', async () => {
    const d = JSON.parse(readFileSync(example, 'utf8'));
    d.nodes[1].params.periodNs = '5 parsecs';
    d.nodes[2].kind = 'numericFifoo';
    const r = await cli('validate', file('bad.json', JSON.stringify(d)));
    expect(r.code).toBe(1);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/error nodes\[1\]\.params\.periodNs: .*not a time unit.* \(Process “sensor”\)$/);
    expect(lines[1]).toMatch(/error nodes\[2\]\.kind: .*did you mean "numericFifo".* \(numericFifoo “readings FIFO”\)$/);
    expect(lines[2]).toMatch(/invalid \(2 errors\)/);
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.json'), /no such file/],
    ['a directory', () => dir, /is a directory/],
    ['an empty file', () => file('empty.json', ''), /file is empty/],
    ['malformed JSON', () => file('broken.json', '{\n  "format": "tock-ipc-studio/design",\n  "version": 1,\n}'), /not valid JSON at line 4, column 1/],
    ['wrong types', () => file('types.json', '{"format":"tock-ipc-studio/design","version":1,"name":5,"nodes":{},"edges":[],"run":{"durationNs":1,"seed":1}}'), /name: expected string, found number/],
    ['a JSON array', () => file('array.json', '[1,2,3]'), /JSON object, but this is a list/],
    ['another format', () => file('other.json', '{"hello":"world"}'), /format: missing/],
    [
      'a 50 MB file',
      () => {
        const p = join(dir, 'big.json');
        const fd = openSync(p, 'w');
        ftruncateSync(fd, 50 * 1024 * 1024);
        closeSync(fd);
        return p;
      },
      /50\.0 MiB; a design file is at most 20 MiB/,
    ],
  ])('refuses %s with a clear message and no stack trace', async (_what, make, pattern) => {
    const r = await cli('validate', make());
    expect(r.code).toBe(1);
    expect(r.err).toMatch(pattern);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('explains its usage', async () => {
    expect((await cli('validate')).err).toMatch(/usage: tock-studio validate/);
    expect((await cli('validate', example, '--bogus')).err).toMatch(/unknown option --bogus/);
    expect((await cli('nonsense')).code).toBe(2);
  });

  it('ends quietly when the reader of its output goes away (… | head), not on an unhandled EPIPE', async () => {
    const child = spawn(process.execPath, [join(root, 'bin/tock-studio.mjs'), 'help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the command writes
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('works as the installed bin (npx tock-studio)', () => {
    const ok = execFileSync(process.execPath, [join(root, 'bin/tock-studio.mjs'), 'validate', example], { encoding: 'utf8' });
    expect(ok).toMatch(/valid/);
    const bad = spawnSync(process.execPath, [join(root, 'bin/tock-studio.mjs'), 'validate', join(dir, 'missing.json')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toMatch(/^tock-studio validate: .*missing\.json: no such file$/);
  });
});
