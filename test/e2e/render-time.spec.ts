// Render time of the results charts for a flow of 1,000,000 delivered messages, in Chromium against serve mode.
// Opt-in (it simulates ~4 M events first): RENDER_BENCH=1 npx playwright test test/e2e/render-time.spec.ts
// Prints figures; asserts nothing about time (benchmarks are not tests). Each chart records its own
// render → DOM-commit time as a `chart:<name>` performance measure (src-renderer/results/charts/hooks.ts);
// queries record `query:<method>`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** mechanisms-compare reduced to its two-copy channel, a Poisson producer at 5,000 msg/s for 200 s: ≈ 1 M messages. */
function millionDesign(): unknown {
  const d = JSON.parse(readFileSync(join(root, 'resources/examples/mechanisms-compare.json'), 'utf8')) as { name: string; nodes: { id: string; params: Record<string, unknown> }[]; edges: { source: string; target: string }[]; run: { durationNs: number } };
  const keep = new Set(['k0', 'prod2', 'mech2', 'cons2']);
  d.nodes = d.nodes.filter((n) => keep.has(n.id));
  d.edges = d.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
  d.nodes.find((n) => n.id === 'prod2')!.params = { workload: 'poisson', ratePerSec: 5000, payloadBytes: 64 };
  d.nodes.find((n) => n.id === 'mech2')!.params = { capacity: 64 };
  d.name = 'One million messages through a two-copy channel';
  d.run.durationNs = 200_000_000_000;
  return d;
}

type Measures = { name: string; duration: number; end: number }[];

async function timeTab(page: Page, tab: string, ready: string): Promise<{ total: number; measures: Measures }> {
  await page.evaluate(() => {
    performance.clearMeasures();
    const w = window as unknown as { __t0: number };
    w.__t0 = 0;
    document.addEventListener('click', () => (w.__t0 = performance.now()), { capture: true, once: true });
  });
  await page.getByRole('tab', { name: tab, exact: true }).click();
  await page.waitForSelector(ready, { timeout: 60_000 });
  await page.waitForTimeout(200);
  return page.evaluate(() => {
    const t0 = (window as unknown as { __t0: number }).__t0;
    const measures = performance.getEntriesByType('measure').map((e) => ({ name: e.name, duration: e.duration, end: e.startTime + e.duration }));
    const charts = measures.filter((m) => m.name.startsWith('chart:'));
    return { total: Math.max(0, ...charts.map((m) => m.end)) - t0, measures };
  });
}

test('chart render time for a 1,000,000-sample flow', async ({ page }) => {
  test.skip(!process.env.RENDER_BENCH, 'opt-in benchmark: set RENDER_BENCH=1');
  test.setTimeout(600_000);
  const url = process.env.STUDIO_URL!;
  await page.goto(url);
  await page.click('[data-template="blank"]');
  const runId = await page.evaluate(async (design) => {
    // The page keeps serve mode's token for its tab (src-renderer/api.ts): API calls carry it in a header.
    const r = await fetch('/api/startRun', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sessionStorage.getItem('tock-studio.token')}` }, body: JSON.stringify({ design }) });
    return ((await r.json()) as { result: { runId: number } }).result.runId;
  }, millionDesign());
  await expect
    .poll(async () => page.evaluate(async (id) => ((await (await fetch('/api/getRun', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sessionStorage.getItem('tock-studio.token')}` }, body: JSON.stringify({ runId: id }) })).json()) as { result: { status: string } }).result.status, runId), { timeout: 300_000, intervals: [1000] })
    .toBe('done');

  await page.getByRole('tab', { name: 'History' }).click();
  await page.locator(`[data-testid="runs-table"] tr[data-run="${runId}"]`).getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('summary-view')).toBeVisible();
  const delivered = await page.getByTestId('flows-table').locator('tbody tr td').nth(2).textContent();
  await page.getByRole('button', { name: 'Maximise results' }).click();

  const rows: string[] = [];
  const report = (label: string, r: { total: number; measures: Measures }): void => {
    const charts = r.measures.filter((m) => m.name.startsWith('chart:'));
    const queries = r.measures.filter((m) => m.name.startsWith('query:'));
    const byName = new Map<string, number>();
    for (const c of charts) byName.set(c.name, Math.max(byName.get(c.name) ?? 0, c.duration));
    rows.push(`${label.padEnd(34)} tab click → last chart committed ${r.total.toFixed(1).padStart(7)} ms · slowest chart render ${[...byName.entries()].map(([n, d]) => `${n.slice(6)} ${d.toFixed(1)} ms`).join(', ')}${queries.length ? ` · queries ${queries.map((q) => `${q.name.slice(6)} ${q.duration.toFixed(0)} ms`).join(', ')}` : ''}`);
  };
  const latencyReady = '[data-testid="card-over-time"] path.mean-line';
  report('Latency, first open (with queries)', await timeTab(page, 'Latency', latencyReady));
  for (let i = 1; i <= 5; i++) {
    await page.getByRole('tab', { name: 'Summary', exact: true }).click();
    report(`Latency, again #${i} (cached data)`, await timeTab(page, 'Latency', latencyReady));
  }
  report('Copies', await timeTab(page, 'Copies', '[data-testid="card-copies-flow"] rect.bar'));
  report('MPU', await timeTab(page, 'MPU', '[data-testid="mpu-view"] .ref-line'));
  report('Queues', await timeTab(page, 'Queues', '[data-testid="queues-view"] path.mean-line'));
  report('CPU', await timeTab(page, 'CPU', '[data-testid="card-cpu"] path.mean-line'));
  report('Timeline', await timeTab(page, 'Timeline', '[data-testid="timeline-view"] rect.tl-span'));
  await page.screenshot({ path: '/tmp/shots2/render-time-timeline.png' });
  await page.getByRole('tab', { name: 'Latency', exact: true }).click();
  await page.waitForSelector(latencyReady);
  await page.screenshot({ path: '/tmp/shots2/render-time-latency.png' });

  console.log(`\nRun #${runId}: ${delivered} messages delivered on one flow\n${rows.join('\n')}\n`);
});
