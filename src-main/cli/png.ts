// PNG from the command line: the exported SVG rasterised by a headless Chromium (or Chrome) found on the machine.
// The studio itself rasterises in its own window; here there is no browser engine, and shipping one for a PNG
// would be out of all proportion, so a missing browser is a clear error that names the way out.

import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CliError } from './io';

const CANDIDATES: Readonly<Record<string, readonly string[]>> = {
  linux: ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  ],
};

/** The browser to rasterise with: $TOCK_STUDIO_CHROMIUM, else the first known install found; null if none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): string | null {
  const explicit = env.TOCK_STUDIO_CHROMIUM;
  if (explicit) {
    if (!existsSync(explicit)) throw new CliError(`TOCK_STUDIO_CHROMIUM=${explicit}: no such file`);
    return explicit;
  }
  return (CANDIDATES[platform] ?? []).find((p) => existsSync(p)) ?? null;
}

/**
 * Rasterises `svg` (width × height CSS px) at `scale` device pixels per px into `outFile`, atomically (the PNG
 * appears complete or not at all).
 */
export async function svgToPng(svg: string, width: number, height: number, scale: number, outFile: string): Promise<number> {
  const browser = findChromium();
  if (!browser) {
    throw new CliError('PNG export needs Chromium, Chrome or Edge to draw the diagram, and none was found. Install one (Debian: apt-get install chromium), or set TOCK_STUDIO_CHROMIUM to its path, or export --format svg (the studio\'s Export dialog also makes PNGs)');
  }
  const dir = await fs.mkdtemp(join(tmpdir(), 'tock-studio-png-'));
  try {
    const svgFile = join(dir, 'diagram.svg');
    const shot = join(dir, 'diagram.png');
    await fs.writeFile(svgFile, svg, 'utf8');
    const args = [
      '--headless',
      '--disable-gpu',
      '--hide-scrollbars',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--force-device-scale-factor=${scale}`,
      `--window-size=${Math.ceil(width)},${Math.ceil(height)}`,
      `--screenshot=${shot}`,
      `file://${svgFile}`,
    ];
    // Chromium refuses to start as root with its sandbox on (containers, CI).
    if (typeof process.getuid === 'function' && process.getuid() === 0) args.unshift('--no-sandbox');
    const result = await new Promise<{ code: number | null; stderr: string }>((resolvePromise, reject) => {
      const child = spawn(browser, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString('utf8')).slice(-4000);
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new CliError(`${browser}: cannot start (${(e as NodeJS.ErrnoException).code ?? e.message})`));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolvePromise({ code, stderr });
      });
    });
    if (!existsSync(shot)) {
      const last = result.stderr.trim().split('\n').filter((l) => !/dbus|Fontconfig/i.test(l)).slice(-2).join(' / ');
      throw new CliError(`${browser} did not produce the PNG (exit ${result.code ?? 'killed'})${last ? `: ${last}` : ''}`);
    }
    const tmpOut = join(dirname(outFile), `.${basename(outFile)}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await fs.copyFile(shot, tmpOut);
      await fs.rename(tmpOut, outFile);
    } catch (e) {
      await fs.rm(tmpOut, { force: true });
      throw new CliError(`${outFile}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    return (await fs.stat(outFile)).size;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
