// Starts `tock-studio serve` on a free port with a temporary database, builds the UI first if needed, and hands
// the URL (with its token) to the tests through STUDIO_URL. Returns the teardown.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'tock-e2e-'));
  const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
  const child = spawn(process.execPath, [join(root, 'bin/tock-studio.mjs'), 'serve', '--port', '0', '--db', join(dir, 'runs.sqlite')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`tock-studio serve did not start in 120 s\n${out}\n${err}`)), 120_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`tock-studio serve exited (${code})\n${out}\n${err}`)));
  });
  process.env.STUDIO_URL = url;
  process.env.STUDIO_TMP = dir;
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
}
