import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invokeMain } from './invoke';

describe('tock-studio <command> --help', () => {
  const cases: [string[], RegExp][] = [
    [['run', '--help'], /^ {2}tock-studio run <design\.json> \[--seed N\] \[--duration <time>\]/m],
    [['run', 'design.json', '--seed', '3', '-h'], /^ {2}tock-studio run <design\.json>/m],
    [['export', '--help'], /^ {2}tock-studio export <design\.json> --format svg\|png\|html\|mermaid/m],
    [['bench', 'mm1', '--help'], /^ {2}tock-studio bench mm1 --customers N/m],
    [['serve', '-h'], /^ {2}tock-studio serve \[--port N\]/m],
    [['validate', '--help'], /^ {2}tock-studio validate <design\.json>/m],
    [['runs', 'list', '--help'], /^ {2}tock-studio runs list \[--design <name>\]/m],
    [['runs', 'compare', '1', '2', '-h'], /^ {2}tock-studio runs compare <id> <id>…/m],
    [['runs', '--help'], /^ {2}tock-studio runs show <id>/m],
  ];
  for (const [argv, usage] of cases) {
    it(`${argv.join(' ')} prints that command's usage and exits 0`, async () => {
      const r = await invokeMain(argv);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(usage);
    });
  }

  it('prints only the command asked about, and `help <command>` does the same', async () => {
    const run = await invokeMain(['run', '--help']);
    expect(run.out).not.toMatch(/tock-studio serve/);
    expect(await invokeMain(['help', 'run'])).toEqual(run);
  });

  it('help about a command that does not exist is an error (exit 2), not the usage with exit 0', async () => {
    const r = await invokeMain(['help', 'bogus']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^tock-studio help: unknown command "bogus"\n/);
  });

  it('a value that happens to be -h is still a value, and -- ends the options', async () => {
    const missing = join(tmpdir(), `tock-help-${process.pid}-missing.sqlite`);
    const search = await invokeMain(['runs', 'list', '--search', '-h', '--db', missing]);
    expect([search.code, search.out]).toEqual([1, '']);
    expect(search.err).toContain(`${missing}: no such run database`);
    const r = await invokeMain(['validate', '--', '-h']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/-h: no such file/);
  });
});

describe('tock-studio bench mm1', () => {
  it('refuses a seed that is not a whole number from 0 to 2^32 − 1 with the option named, not an internal error', async () => {
    for (const seed of ['-1', 'abc', '1.5', '99999999999999999999']) {
      const r = await invokeMain(['bench', 'mm1', '--customers', '10', '--seed', seed]);
      expect(r.err, seed).toMatch(new RegExp(`^tock-studio bench: --seed ${seed.replace('.', '\\.')}: a seed is a whole number from 0 to`));
      expect(r.code, seed).toBe(1);
      expect(r.out).toBe('');
    }
    const ok = await invokeMain(['bench', 'mm1', '--customers', '10', '--seed', '7', '--json']);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out).customers).toBe(10);
  });
});

describe('tock-studio serve', () => {
  it('a port in use is refused before the database is created', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'tock-serve-'));
    try {
      const r = await invokeMain(['serve', '--port', String(port), '--db', join(dir, 'runs.sqlite')]);
      expect(r.err).toBe(`tock-studio serve: port ${port} is in use; pick another with --port or use --port 0\n`);
      expect(r.code).toBe(1);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      busy.close();
    }
  });

  it('refuses a port that is not plain digits from 0 to 65535 (0x50 and 1e3 are numbers to Number(), not ports)', async () => {
    for (const port of ['0x50', '1e3', '-1', '65536', '80.5', 'http']) {
      const r = await invokeMain(['serve', '--port', port]);
      expect(r.err, port).toMatch(new RegExp(`^tock-studio serve: --port ${port.replace('.', '\\.')}: a port is a whole number from 0 to 65535`));
      expect(r.code, port).toBe(1);
    }
  });
});
