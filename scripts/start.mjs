#!/usr/bin/env node
// `npm start`: make sure Electron's binary is there (an install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips it),
// build better-sqlite3 for Electron's ABI into .electron-native/ (node_modules keeps the Node build the tests and
// the CLI use), build the three bundles, then open the desktop app.
import { spawnSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = dirname(require.resolve('electron/package.json'));
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function run(cmd, args, what, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '', ...(opts.env ?? {}) } });
  return r.status === 0;
}

function must(ok, what) {
  if (!ok) {
    console.error(`npm start: ${what} failed.`);
    process.exit(1);
  }
}

// 1. Electron's binary.
if (!electronBinary()) {
  console.log("Electron's binary is missing (the install skipped it); fetching it now…");
  must(run(process.execPath, [join(electronDir, 'install.js')]), "fetching Electron's binary");
  if (!electronBinary()) {
    console.error("npm start: Electron's binary is still missing. Where it cannot be downloaded, use the browser: npx tock-studio serve");
    process.exit(1);
  }
}

// 2. better-sqlite3 for Electron's ABI, in its own folder.
const nativeDir = join(root, '.electron-native', `better-sqlite3-electron-${electronVersion}-${process.platform}-${process.arch}`);
const binding = join(nativeDir, 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(binding)) {
  console.log(`Building better-sqlite3 for Electron ${electronVersion} (once)…`);
  const src = dirname(require.resolve('better-sqlite3/package.json'));
  rmSync(nativeDir, { recursive: true, force: true });
  mkdirSync(nativeDir, { recursive: true });
  cpSync(src, nativeDir, { recursive: true, filter: (p) => !p.includes(`${join(src, 'build')}`) });
  const env = { npm_config_runtime: 'electron', npm_config_target: electronVersion, npm_config_disturl: 'https://electronjs.org/headers', npm_config_nodedir: '' };
  // A prebuilt binary for this Electron if one is published, else a compile against Electron's headers.
  const prebuild = join(dirname(require.resolve('prebuild-install/package.json')), 'bin.js');
  const ok =
    run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch], 'prebuild', { cwd: nativeDir, env }) ||
    run(process.env.npm_execpath ? process.execPath : 'npx', process.env.npm_execpath ? [process.env.npm_execpath, 'exec', '--yes', '--', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'] : ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], 'node-gyp', { cwd: nativeDir, env });
  must(ok && existsSync(binding), 'building better-sqlite3 for Electron');
}

// 3. The bundles, then the app.
must(run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']), 'building the app');
const child = spawn(electronBinary(), [root], { stdio: 'inherit', cwd: root, env: { ...process.env, TOCK_STUDIO_SQLITE_BINDING: binding } });
child.on('exit', (code) => process.exit(code ?? 0));
