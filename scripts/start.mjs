#!/usr/bin/env node
// `npm start`: make sure Electron's binary is there (an install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips it),
// build the three bundles, then open the desktop app.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const electronDir = dirname(require.resolve('electron/package.json'));

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' } });
  if (r.status !== 0) {
    console.error(`npm start: ${what} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

if (!electronBinary()) {
  console.log('Electron binary missing (the install skipped it); fetching it now…');
  run(process.execPath, [join(electronDir, 'install.js')], "fetching Electron's binary");
  if (!electronBinary()) {
    console.error("npm start: Electron's binary is still missing; on a machine that cannot download it use `tock-studio serve` (browser mode).");
    process.exit(1);
  }
}

run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], 'building the app');

const child = spawn(electronBinary(), [root], { stdio: 'inherit', cwd: root });
child.on('exit', (code) => process.exit(code ?? 0));
