// Editor drag benchmark: `npx tsx scripts/bench-editor.ts`. Prints figures, asserts nothing, exits 0 below target
// (1 only when it cannot measure at all).
//
// Requirement: "a design of 500 nodes and 800 edges stays smooth while dragging (≥ 50 frames per second measured in
// Chromium)". The script generates such a design (10 kernels × [20 producers, 9 IPC mechanisms, 20 consumers]; each
// producer sends into 2 mechanisms, each consumer is fed by 2), validates it with the model's own loader, starts
// `tock-studio serve` on a free port with a temporary database, opens the design in headless Chromium through the
// UI's File › Open, fits the view, then drags (a) one process card and (b) a kernel container with its 49 children
// continuously for ~3 s each (one mouse move per frame), counting frames with a requestAnimationFrame loop in the
// page, checking that the node is redrawn at a new position in them, and recording long tasks.
//
// Options (environment):
//   BENCH_DRAG_MS=3000      length of each drag
//   BENCH_INPUT=raf|mouse   how the mouse moves are delivered (see dragLoop); default raf: one move per frame
//   BENCH_ZOOM_100=1        also drag at zoom ≈ 100 % (cards at full size, fewer on screen)
//   BENCH_RENDERS=1         also count React component renders per drag (a DevTools-hook shim; slows the page a
//                           little, so its fps figures are marked). Readable names need an unminified build
//                           (BENCH_STATIC_DIR)
//   BENCH_TRACE=<file>      Chromium traces with JS CPU samples (DevTools › Performance), one per drag: <file> with
//                           -fit-process, -fit-kernel, -zoom-process, -zoom-kernel before its extension (tracing
//                           slows the drags: take fps figures from untraced runs)
//   BENCH_STATIC_DIR=<dir>  page and assets from another renderer build, API from the studio; e.g. unminified:
//                           npx vite build --config vite.renderer.config.ts --outDir /tmp/ui --minify false
//   BENCH_SHOTS=<dir>       screenshots of the fitted view and of each drag in progress
//   BENCH_REBUILD=1         npm run build:renderer first even when out/renderer exists
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseDesignText, type Design } from '../src-shared/model';
import { cpuTicks, stealSince } from './machine';

// The few DOM calls made in page functions (this file is type-checked without the DOM library; in-page code that
// defines named functions is passed as text instead, see START_FRAMES).
declare const document: { querySelectorAll(selector: string): { length: number } & Iterable<{ getAttribute(name: string): string | null }> };

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/lib/chromium/chromium';
const TARGET_FPS = 50;
const DRAG_MS = Number(process.env.BENCH_DRAG_MS ?? 3000);
const RENDERS = !!process.env.BENCH_RENDERS;
const SHOTS = process.env.BENCH_SHOTS;
const INPUT = process.env.BENCH_INPUT === 'mouse' ? 'mouse' : 'raf';

// ---------------------------------------------------------------------------------------------------------------
// 1. The design. Per kernel: the kernel + 20 producers + 9 mechanisms + 20 consumers = 50 nodes; 40 + 40 = 80 edges.

const KERNELS = 10;
const PRODUCERS = 20;
const MECHS = 9;
const CONSUMERS = 20;
const MECH_KINDS = ['twoCopyChannel', 'relayMessage', 'notification'] as const;
const COL_X = [30, 220, 410, 600, 790]; // producers ×2 columns, mechanisms, consumers ×2 columns (cards are 160 wide)
const ROW_Y = 56;
const ROW_H = 100;
const KERNEL_W = 990;
const KERNEL_H = ROW_Y + 10 * ROW_H + 4;
const KERNEL_COLS = 4;
const KERNEL_GAP = 60;

function bigDesign(): Design {
  const nodes: Design['nodes'] = [];
  const edges: Design['edges'] = [];
  const edge = (source: string, target: string): void => {
    edges.push({ id: `e${edges.length}`, source, sourceHandle: 'out', target, targetHandle: 'in', params: {} });
  };
  for (let k = 0; k < KERNELS; k++) {
    const kid = `k${k}`;
    nodes.push({
      id: kid,
      kind: 'kernel',
      name: `Kernel ${k + 1}`,
      position: { x: (k % KERNEL_COLS) * (KERNEL_W + KERNEL_GAP), y: Math.floor(k / KERNEL_COLS) * (KERNEL_H + KERNEL_GAP) },
      size: { width: KERNEL_W, height: KERNEL_H },
      params: { chip: k % 2 ? 'rp2350' : 'stm32f429' },
    });
    for (let m = 0; m < MECHS; m++) {
      nodes.push({ id: `${kid}-m${m}`, kind: MECH_KINDS[m % MECH_KINDS.length]!, name: `mechanism ${k + 1}.${m + 1}`, parent: kid, position: { x: COL_X[2]!, y: ROW_Y + m * ROW_H + ROW_H / 2 }, params: {} });
    }
    for (let p = 0; p < PRODUCERS; p++) {
      const id = `${kid}-p${p}`;
      nodes.push({ id, kind: 'process', name: `producer ${k + 1}.${p + 1}`, parent: kid, position: { x: COL_X[p % 2]!, y: ROW_Y + Math.floor(p / 2) * ROW_H }, params: { workload: 'periodic', periodNs: 10_000_000, payloadBytes: 64, startNs: p * 100_000 } });
      edge(id, `${kid}-m${p % MECHS}`);
      edge(id, `${kid}-m${(p + 4) % MECHS}`);
    }
    for (let c = 0; c < CONSUMERS; c++) {
      const id = `${kid}-c${c}`;
      nodes.push({ id, kind: 'process', name: `consumer ${k + 1}.${c + 1}`, parent: kid, position: { x: COL_X[3 + (c % 2)]!, y: ROW_Y + Math.floor(c / 2) * ROW_H }, params: { workload: 'none' } });
      edge(`${kid}-m${c % MECHS}`, id);
      edge(`${kid}-m${(c + 2) % MECHS}`, id);
    }
  }
  return {
    format: 'tock-ipc-studio/design',
    version: 1,
    name: `Editor benchmark: ${nodes.length} nodes, ${edges.length} edges`,
    description: 'Generated by scripts/bench-editor.ts: kernels of producers → IPC mechanisms → consumers.',
    nodes,
    edges,
    run: { durationNs: 100_000_000, seed: 1, warmupNs: 0 },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 2. The studio and the browser.

function ensureRenderer(): void {
  if (!process.env.BENCH_REBUILD && existsSync(join(root, 'out/renderer/index.html'))) return;
  console.log('Building the renderer (npm run build:renderer)…');
  const r = spawnSync('npm', ['run', 'build:renderer'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run build:renderer failed (${r.status ?? r.signal})`);
}

function startServer(dbPath: string): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [join(root, 'bin/tock-studio.mjs'), 'serve', '--port', '0', '--db', dbPath], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tock-studio serve did not start in 120 s\n${out}\n${err}`)), 120_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tock-studio serve exited (${code})\n${out}\n${err}`));
    });
  });
  url.catch(() => undefined); // reported where it is awaited
  return { child, url };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

// ---------------------------------------------------------------------------------------------------------------
// 3. In-page instruments. Given as text: tsx compiles this file with esbuild's keepNames, which wraps named
// functions in a `__name` helper that does not exist in the page.

/**
 * `(watch, drive) => …`: a rAF loop recording frame timestamps and whether the node `watch` (a React Flow node id)
 * was drawn somewhere new in that frame, a long-task observer and a pointer-move counter, in `window.__bench`.
 * With `drive` ({ x, y, r, ms }) each frame first dispatches one mouse move on the drag ellipse (see dragLoop).
 */
const START_FRAMES = `((watch, drive) => {
  const b = { t: [], moved: [], lt: [], stop: false, obs: undefined, moves: 0, last: undefined, pos: undefined };
  b.onMove = () => { b.moves++; };
  addEventListener('pointermove', b.onMove, { capture: true, passive: true });
  addEventListener('mousemove', b.onMove, { capture: true, passive: true });
  window.__bench = b;
  try {
    b.obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) b.lt.push(e.duration); });
    b.obs.observe({ type: 'longtask' });
  } catch (e) { /* no long-task API */ }
  const node = document.querySelector('.react-flow__node[data-id="' + watch + '"]');
  const t0 = performance.now();
  const tick = (ts) => {
    if (b.stop) return;
    if (drive && ts - t0 < drive.ms) {
      const a = ((ts - t0) / 1000) * 2 * Math.PI * 1.5;
      b.pos = { x: drive.x + drive.r * Math.cos(a), y: drive.y + drive.r * 0.6 * Math.sin(a) };
      b.moves++; // (d3-drag stops the event's propagation, so the listener above does not see these)
      document.dispatchEvent(new MouseEvent('mousemove', { clientX: b.pos.x, clientY: b.pos.y, screenX: b.pos.x, screenY: b.pos.y, button: 0, buttons: 1, bubbles: true, cancelable: true, composed: true, view: window }));
    }
    b.t.push(ts);
    const tr = node ? node.style.transform : '';
    b.moved.push(b.last !== undefined && tr !== b.last);
    b.last = tr;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})`;

const STOP_FRAMES = `(() => {
  const b = window.__bench;
  b.stop = true;
  removeEventListener('pointermove', b.onMove, { capture: true });
  removeEventListener('mousemove', b.onMove, { capture: true });
  if (b.obs) { for (const e of b.obs.takeRecords()) b.lt.push(e.duration); b.obs.disconnect(); }
  return { t: b.t, moved: b.moved, lt: b.lt, moves: b.moves, pos: b.pos };
})()`;

/**
 * A minimal React DevTools hook (installed before the app loads): on every commit, counts the components that
 * rendered — fibers with React's PerformedWork flag that were not in the previous committed tree (subtrees React
 * skipped keep their old fiber objects; bailed-out clones have the flag cleared).
 */
const RENDER_HOOK = `(() => {
  const counts = new Map();
  let commits = 0, on = false, prev = new WeakSet();
  const nameOf = (f) => {
    let t = f.type;
    if (t && typeof t === 'object') t = t.type || t.render;
    return typeof t === 'function' ? (t.displayName || t.name || '(anonymous)') : null;
  };
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true, isDisabled: false, renderers: new Map(),
    inject() { return 1; }, checkDCE() {}, onScheduleFiberRoot() {}, onCommitFiberUnmount() {}, onPostCommitFiberRoot() {},
    onCommitFiberRoot(_id, root) {
      const seen = new WeakSet();
      const stack = [root.current];
      while (stack.length) {
        const f = stack.pop();
        seen.add(f);
        if (on && (f.flags & 1) && !prev.has(f)) { const n = nameOf(f); if (n) counts.set(n, (counts.get(n) || 0) + 1); }
        if (f.sibling) stack.push(f.sibling);
        if (f.child) stack.push(f.child);
      }
      prev = seen;
      if (on) commits++;
    },
  };
  window.__renders = {
    start() { counts.clear(); commits = 0; on = true; },
    stop() { on = false; return { commits, counts: [...counts.entries()].sort((a, b) => b[1] - a[1]) }; },
  };
})()`;

interface FrameStats {
  frames: number;
  ms: number;
  fps: number;
  worstMs: number;
  p95Ms: number;
  over20: number;
  longTasks: number;
  longTaskMs: number;
  worstLongTaskMs: number;
  /** Frames in which the dragged node was drawn at a new position, per second. */
  updatesPerSec: number;
  /** Mouse moves sent, and mouse/pointer-move events the page received. */
  moves: number;
  dispatched: number;
  /** Where the in-page driver left the pointer. */
  lastPos?: { x: number; y: number };
  renders?: { commits: number; counts: [string, number][] };
}

async function startFrames(page: Page, watch = '', drive?: { x: number; y: number; r: number; ms: number }): Promise<void> {
  if (RENDERS) await page.evaluate('window.__renders && window.__renders.start()');
  await page.evaluate(`${START_FRAMES}(${JSON.stringify(watch)}, ${JSON.stringify(drive ?? null)})`);
}

async function stopFrames(page: Page, moves: number): Promise<FrameStats> {
  // Let the frame that follows the last input land, then stop.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const r = (await page.evaluate(STOP_FRAMES)) as { t: number[]; moved: boolean[]; lt: number[]; moves: number; pos?: { x: number; y: number } };
  const renders = RENDERS ? ((await page.evaluate('window.__renders ? window.__renders.stop() : undefined')) as FrameStats['renders']) : undefined;
  const d: number[] = [];
  for (let i = 1; i < r.t.length; i++) d.push(r.t[i]! - r.t[i - 1]!);
  const ms = r.t.length > 1 ? r.t[r.t.length - 1]! - r.t[0]! : 0;
  const sorted = [...d].sort((a, b) => a - b);
  const stats: FrameStats = {
    frames: d.length,
    ms,
    fps: ms > 0 ? (d.length * 1000) / ms : 0,
    worstMs: sorted[sorted.length - 1] ?? 0,
    p95Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0,
    over20: d.filter((x) => x > 20).length,
    longTasks: r.lt.length,
    longTaskMs: r.lt.reduce((a, x) => a + x, 0),
    worstLongTaskMs: Math.max(0, ...r.lt),
    updatesPerSec: ms > 0 ? (r.moved.filter(Boolean).length * 1000) / ms : 0,
    moves,
    dispatched: r.moves,
  };
  if (r.pos) stats.lastPos = r.pos;
  if (renders) stats.renders = renders;
  return stats;
}

/**
 * Presses the mouse at (x, y), starts the drag with real (CDP) mouse moves, then moves round an ellipse (radii
 * r × 0.6 r px) for `ms` and releases the mouse where it is. `watch` is the dragged React Flow node's id.
 *
 * INPUT = 'raf' (default): one mouse move per frame, dispatched in the page at the start of each
 * requestAnimationFrame callback, which is how Chromium delivers a real mouse's moves to a page (coalesced, aligned
 * to frames), so every frame carries a drag step. React Flow's drag (d3-drag) listens to mousemove on the window;
 * the drag itself is started and ended with real input. "Redrawn ×/s" checks that the node really moved.
 * INPUT = 'mouse' (BENCH_INPUT=mouse): `page.mouse.move` one after another, each awaited (CDP answers once the
 * page has handled the move), at most one per 8 ms. The round trip leaves frames without a drag step, so its fps
 * flatters a slow page (e.g. 10.9 fps with the node redrawn 3.5×/s). Sending CDP moves without waiting is worse
 * the other way: Chromium then dispatches every queued move in its own task and starves rendering.
 */
async function dragLoop(page: Page, watch: string, x: number, y: number, r: number, ms: number): Promise<FrameStats> {
  await page.mouse.move(x, y);
  await page.mouse.down();
  // Past React Flow's drag threshold before the timed part.
  await page.mouse.move(x + r / 2, y, { steps: 2 });
  await page.mouse.move(x + r, y, { steps: 2 });
  let stats: FrameStats;
  let last = { x: x + r, y };
  if (INPUT === 'raf') {
    await startFrames(page, watch, { x, y, r, ms });
    await page.waitForTimeout(ms);
    stats = await stopFrames(page, 0);
    if (stats.lastPos) last = stats.lastPos;
  } else {
    await startFrames(page, watch);
    const t0 = Date.now();
    let moves = 0;
    for (let tick = 1; Date.now() - t0 < ms; tick++) {
      const a = ((Date.now() - t0) / 1000) * 2 * Math.PI * 1.5; // 1.5 turns per second
      last = { x: x + r * Math.cos(a), y: y + r * 0.6 * Math.sin(a) };
      await page.mouse.move(last.x, last.y);
      moves++;
      const wait = t0 + tick * 8 - Date.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    }
    stats = await stopFrames(page, moves);
  }
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `drag-${Date.now()}.png`) });
  await page.mouse.move(last.x, last.y);
  await page.mouse.up();
  await page.waitForTimeout(500); // the drop settles, the debounced lint runs
  return stats;
}

async function measureIdle(page: Page, ms: number): Promise<FrameStats> {
  await startFrames(page);
  await page.waitForTimeout(ms);
  return stopFrames(page, 0);
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not on screen`);
  return b;
}

async function domCounts(page: Page): Promise<string> {
  const c = (await page.evaluate(`({ n: document.querySelectorAll('.react-flow__node').length, e: document.querySelectorAll('.react-flow__edge').length, layer: !!document.querySelector('.edge-layer') })`)) as { n: number; e: number; layer: boolean };
  // Zoomed out, the canvas draws its edges in one layer of a few paths instead of an element each (see lod.ts).
  return `${c.n} nodes and ${c.e} edges in the DOM${c.layer ? ', all edges in the edge layer' : ''}`;
}

async function currentZoom(page: Page): Promise<number> {
  const t = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
  const m = /scale\(([\d.]+)\)/.exec(t);
  return m ? Number(m[1]) : NaN;
}

function fmtStats(label: string, s: FrameStats): string {
  const drag = s.dispatched > 0;
  const verdict = !drag ? '' : s.updatesPerSec === 0 ? '  → the node did not move: the drag did not take' : s.fps >= TARGET_FPS ? '  → meets the target' : '  → below target';
  return (
    `  ${label.padEnd(34)} ${s.fps.toFixed(1).padStart(5)} fps · worst frame ${s.worstMs.toFixed(0).padStart(4)} ms · p95 ${s.p95Ms.toFixed(0).padStart(4)} ms · ` +
    `frames > 20 ms ${s.over20}/${s.frames} · long tasks ${s.longTasks} (${s.longTaskMs.toFixed(0)} ms, worst ${s.worstLongTaskMs.toFixed(0)} ms)` +
    (drag ? ` · dragged node redrawn ${s.updatesPerSec.toFixed(1)}×/s` : '') +
    verdict
  );
}

function fmtRenders(s: FrameStats): string[] {
  if (!s.renders) return [];
  const per = (n: number): string => (n / Math.max(1, s.frames)).toFixed(1);
  const top = s.renders.counts.slice(0, 10).map(([name, n]) => `${name} ${n} (${per(n)}/frame)`);
  return [`      React: ${s.renders.commits} commits (${per(s.renders.commits)}/frame); renders: ${top.join(', ')}`];
}

/** A drag whose pointer would come within React Flow's auto-pan band (40 px) of the pane's edge measures panning. */
async function edgeNote(page: Page, x: number, y: number, r: number): Promise<string | undefined> {
  const pane = await box(page, '.react-flow');
  const margin = Math.min(x - r - pane.x, pane.x + pane.width - (x + r), y - 0.6 * r - pane.y, pane.y + pane.height - (y + 0.6 * r));
  return margin < 45 ? `      (the pointer passes ${margin.toFixed(0)} px from the canvas edge: React Flow auto-pans during this drag)` : undefined;
}

interface Scenario {
  label: string;
  /** Names its trace file (BENCH_TRACE). */
  key: string;
  /** The node dragged, and where it is grabbed. */
  watch: string;
  selector: string;
  /** Radius of the drag ellipse, screen px (fast enough that the 10-unit snap grid moves the node most frames). */
  radius: number;
}

/** BENCH_TRACE's file name for one drag. */
function tracePath(file: string, key: string): string {
  const ext = extname(file);
  return `${file.slice(0, file.length - ext.length)}-${key}${ext || '.json'}`;
}

async function runDrags(page: Page, view: string, scenarios: Scenario[], out: string[], trace?: { browser: Browser; file: string }): Promise<void> {
  out.push(`${view}:`);
  for (const s of scenarios) {
    const b = await box(page, s.selector);
    const x = b.x + b.width / 2;
    const y = b.y + b.height / 2;
    const r = s.radius;
    const note = await edgeNote(page, x, y, r);
    if (trace) await trace.browser.startTracing(page, { path: tracePath(trace.file, s.key), screenshots: false, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'blink.user_timing', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'] });
    const stats = await dragLoop(page, s.watch, x, y, r, DRAG_MS);
    if (trace) await trace.browser.stopTracing();
    out.push(fmtStats(s.label, stats), ...fmtRenders(stats));
    if (note) out.push(note);
  }
  const toasts = await page.locator('.toast.error').allTextContents();
  if (toasts.length) out.push(`      (error toasts after the drags: ${toasts.join(' | ')})`);
}

// ---------------------------------------------------------------------------------------------------------------

// What to stop and remove on the way out, however the script ends (error, Ctrl+C, an exception in a callback).
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let tmp: string | undefined;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    if (browser) await browser.close().catch(() => undefined);
    if (server) await stopServer(server).catch(() => undefined);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  })();
  return cleaning;
}

function fail(e: unknown): void {
  console.error(`bench-editor: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  void cleanup().finally(() => process.exit(1));
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void cleanup().finally(() => process.exit(130)));
// Last resort (process.exit from elsewhere): never leave the server running.
process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function main(): Promise<void> {
  const load0 = loadavg()[0]!;
  const ticks0 = cpuTicks();
  tmp = mkdtempSync(join(tmpdir(), 'tock-bench-editor-'));
  try {
    const design = bigDesign();
    const text = JSON.stringify(design, null, 2);
    const loaded = parseDesignText(text);
    const errors = loaded.findings.filter((f) => f.severity === 'error');
    if (!loaded.ok || errors.length) throw new Error(`the generated design does not load:\n${errors.slice(0, 10).map((f) => `  ${f.path}: ${f.message}`).join('\n')}`);
    const file = join(tmp, 'bench-500-nodes.json');
    writeFileSync(file, text);
    console.log(`Design: ${design.nodes.length} nodes (${KERNELS} kernels), ${design.edges.length} edges, ${(text.length / 1024).toFixed(0)} KiB; parseDesignText: no errors, ${loaded.findings.length} warning(s).`);

    ensureRenderer();
    const srv = startServer(join(tmp, 'runs.sqlite'));
    server = srv.child;
    const url = await srv.url;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      handleSIGINT: false, // our handler closes it, then stops the server
      handleSIGTERM: false,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    if (RENDERS) await page.addInitScript(RENDER_HOOK);
    const staticDir = process.env.BENCH_STATIC_DIR;
    if (staticDir) {
      const origin = new URL(url).origin;
      await page.route(
        (u) => u.origin === origin && !u.searchParams.has('token') && (u.pathname === '/' || u.pathname === '/index.html' || u.pathname.startsWith('/assets/')),
        (route) => {
          const p = new URL(route.request().url()).pathname;
          const f = join(staticDir, p === '/' ? 'index.html' : p);
          return existsSync(f) ? route.fulfill({ path: f }) : route.continue();
        },
      );
    }
    await page.goto(url);
    // The token becomes a cookie on a redirect, which page.route does not intercept: load the page once more.
    if (staticDir) await page.goto(`${new URL(url).origin}/`);

    // The template gallery opens first: start from the blank canvas (nothing to discard, so no dialog on open).
    const gallery = page.getByRole('dialog', { name: 'Start a design' });
    await gallery.waitFor({ state: 'visible', timeout: 30_000 }).catch(() => undefined);
    if (await gallery.isVisible()) {
      await page.getByRole('button', { name: /Blank canvas/ }).click();
      await gallery.waitFor({ state: 'hidden' });
    }

    // File › Open… → the browser file input → our file; timed until every node and edge is in the DOM and painted.
    await page.getByRole('button', { name: 'File' }).click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('menuitem', { name: /Open…/ }).click();
    const fc = await chooser;
    const t0 = Date.now();
    await fc.setFiles(file);
    // Ready when the nodes are in the DOM and measured (React Flow hides a node until it has measured it, and
    // draws edges only between measured nodes), the edges drawn, and a frame painted.
    const ready = await page.waitForFunction(
      () => {
        const n = document.querySelectorAll('.react-flow__node').length;
        const hidden = document.querySelectorAll('.react-flow__node[style*="visibility: hidden"]').length;
        // Edges: React Flow's, or (zoomed out) the edge layer's paths, drawn once every node is measured.
        let layer = 0;
        for (const p of document.querySelectorAll('.edge-layer path')) layer += (p.getAttribute('d') ?? '').split('M').length - 1;
        const e = document.querySelectorAll('.react-flow__edge').length || layer;
        return n > 0 && hidden === 0 && e > 0 ? { n, e } : false;
      },
      undefined,
      { timeout: 120_000, polling: 'raf' },
    );
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    const openMs = Date.now() - t0;
    const inDom = (await ready.jsonValue()) as { n: number; e: number };

    // The open fits the view itself (animated); wait for it, then fit once more through the UI.
    await page.waitForTimeout(800);
    await page.getByRole('button', { name: 'Fit view' }).first().click();
    await page.waitForTimeout(800);
    const zoom = await currentZoom(page);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'fitted.png') });

    const out: string[] = [];
    out.push(fmtStats('Idle, no input (ceiling)', await measureIdle(page, 1000)));
    const traceFile = process.env.BENCH_TRACE;
    const trace = traceFile ? { browser, file: traceFile } : undefined;
    // Kernels 6 and 7 are in the middle row, so the pointer stays clear of the canvas edges (no auto-pan).
    await runDrags(
      page,
      `Fitted view (zoom ${zoom.toFixed(2)}, ${await domCounts(page)})`,
      [
        { label: 'drag one process (consumer 6.5)', key: 'fit-process', watch: 'k5-c4', selector: '.react-flow__node[data-id="k5-c4"] .snode-head', radius: 20 },
        { label: 'drag a kernel with 49 children', key: 'fit-kernel', watch: 'k6', selector: '.react-flow__node[data-id="k6"] .kernel-head', radius: 20 },
      ],
      out,
      trace,
    );

    if (process.env.BENCH_ZOOM_100) {
      // Zoom in with the wheel over kernel 6's title bar (the viewport API is not reachable from outside), which
      // stays under the pointer, mid-canvas, with the kernel's first rows below it.
      const h = await box(page, '.react-flow__node[data-id="k5"] .kernel-head');
      await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
      for (let i = 0; i < 40 && (await currentZoom(page)) < 0.95; i++) {
        await page.mouse.wheel(0, -100);
        await page.waitForTimeout(40);
      }
      await page.waitForTimeout(400);
      await runDrags(
        page,
        `Zoomed in (zoom ${(await currentZoom(page)).toFixed(2)}, ${await domCounts(page)})`,
        [
          { label: 'drag one process (consumer 6.1)', key: 'zoom-process', watch: 'k5-c0', selector: '.react-flow__node[data-id="k5-c0"] .snode-head', radius: 100 },
          { label: 'drag a kernel with 49 children', key: 'zoom-kernel', watch: 'k5', selector: '.react-flow__node[data-id="k5"] .kernel-head', radius: 100 },
        ],
        out,
        trace,
      );
    }

    console.log('');
    console.log(`Editor drag benchmark: ${design.nodes.length} nodes, ${design.edges.length} edges, Chromium ${browser.version()} headless with --disable-gpu (rendering and compositing on the CPU), viewport 1440×900.`);
    console.log(`Machine: ${availableParallelism()} CPUs, load average ${load0.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end${stealSince(ticks0)} (other work on the machine lowers these figures).`);
    console.log(`Open (File › Open → ${inDom.n} nodes measured and ${inDom.e} edges drawn in the DOM, painted): ${openMs} ms.`);
    for (const l of out) console.log(l);
    console.log(`Target: ≥ ${TARGET_FPS} fps while dragging. Frames counted by requestAnimationFrame over ${DRAG_MS} ms of dragging, ${INPUT === 'raf' ? 'one mouse move per frame (BENCH_INPUT=raf)' : 'awaited page.mouse.move steps (BENCH_INPUT=mouse)'}.`);
    if (RENDERS) console.log('(BENCH_RENDERS: a render-counting hook ran on every commit; its fps figures are a little low.)');
    if (staticDir) console.log(`(UI served from ${staticDir}, not out/renderer.)`);
    if (pageErrors.length) console.log(`Page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
    if (traceFile) console.log(`Traces of the drags: ${tracePath(traceFile, '*')}`);
  } finally {
    await cleanup();
  }
}

main().then(() => process.exit(0), fail);
