// The exports and the studio tell the same story: one definition of a mechanism's losses everywhere (canvas, SVG,
// Mermaid, the report's tables), and every statement of a run's span says when the figures start (the warm-up).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDesign } from '../../../src-main/engine/tock/run';
import { designReportHtml, designToMermaid, designToSvg, svgSize } from '../../../src-shared/export';
import { textWidth } from '../../../src-shared/export/svg';
import { runWarmupNs, spanText } from '../../../src-shared/export/runSpan';
import { parseDesignText, type Design } from '../../../src-shared/model';
import { computeOverlay, flowCarrier, lostOf, mechanismLoss } from '../../../src-shared/results/overlay';
import type { RunSummary } from '../../../src-shared/results/summary';
import { DesignBuilder } from '../../fixtures/builder';

const examples = join(__dirname, '../../../resources/examples');

function example(name: string): Design {
  const r = parseDesignText(readFileSync(join(examples, `${name}.json`), 'utf8'));
  if (!r.ok) throw new Error(`${name} does not load`);
  return r.design;
}

/** A run of the template as it ships (its own duration and warm-up) with `seed`. */
function run(design: Design, seed: number): RunSummary {
  const out = runDesign(design, 'hash', { seed, durationNs: design.run.durationNs, warmupNs: design.run.warmupNs });
  return { runId: '1', wallMs: 0, ...out.summary };
}

/** The cells of the report's table row whose first cell is `first`. */
function row(html: string, section: string, first: string): string[] {
  const from = html.indexOf(`<h2>${section}</h2>`);
  const at = html.indexOf(`<tr><td>${first}</td>`, from);
  if (from < 0 || at < 0) return [];
  const tr = html.slice(at, html.indexOf('</tr>', at));
  return [...tr.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!);
}

describe('a mechanism’s losses: one definition in every view', () => {
  const d = example('dual-core-rp2040');
  const s = run(d, 7);
  const copy = s.mechanisms.find((m) => m.id === 'copy')!;

  it('lost = what its flows lost (dropped + overwritten + timed out + failed); discarded = its own drops', () => {
    // The reviewer's case: 166 dropped by the inter-kernel channel, 33 timed out when core 1 failed.
    const flow = s.flows.find((f) => f.id === 'p0>copy>c0')!;
    expect([flow.dropped, flow.timedOut, copy.drops]).toEqual([166, 33, 166]);
    expect(mechanismLoss(s, copy)).toEqual({ lost: 199, dropped: 166, overwritten: 0, timedOut: 33, failed: 0, discarded: 166 });
    // Every flow has one carrier, so the mechanisms' lost add up to the run's.
    expect(s.mechanisms.reduce((n, m) => n + mechanismLoss(s, m).lost, 0)).toBe(s.flows.reduce((n, f) => n + lostOf(f), 0));
  });

  it('the canvas badge, the SVG, Mermaid and the report’s Mechanisms table say the same number under “lost”', () => {
    expect(computeOverlay(1, s, d).nodes.get('copy')!.badge).toBe('199 lost');
    expect(designToSvg(d, { run: { runId: 1, summary: s } })).toContain('>199 lost</text>');
    expect(designToMermaid(d, { run: { runId: 1, summary: s } })).toContain('199 lost');
    const html = designReportHtml({ design: d, runs: [{ runId: 1, summary: s }] });
    expect(html).toContain('<th>Lost</th><th>Discarded</th>');
    // Mechanism, kind, copies, bytes copied, max depth, lost, discarded.
    expect(row(html, 'Mechanisms', 'ikc by copy').slice(5)).toEqual(['199', '166']);
    // The words are explained where the numbers are.
    expect(html).toContain('Lost: messages of the flows it carries that never arrived');
    expect(html).toContain('Discarded: messages the mechanism itself threw away');
    // The chart of losses per mechanism plots the same lost.
    const chart = html.slice(html.indexOf('<figcaption>Messages lost per mechanism'));
    expect(chart.slice(0, chart.indexOf('</figure>'))).toContain('>199</text>');
  });

  it('the comparison of runs compares the same lost (and discarded, under its own word)', () => {
    // A second run in which 17 more messages time out in the channel; it discards as many as before.
    const s2: RunSummary = { ...s, flows: s.flows.map((f) => (f.id === 'p0>copy>c0' ? { ...f, timedOut: f.timedOut + 17 } : f)) };
    const html = designReportHtml({ design: d, runs: [{ runId: 1, summary: s }, { runId: 2, summary: s2 }] });
    const res = html.slice(html.indexOf('<h3>Processes, mechanisms and kernels</h3>'), html.indexOf('<h3>What changed</h3>'));
    expect(res).toContain('<td>ikc by copy</td><td class="l">Lost</td><td>199</td><td class="bad">216 (+8.5 %)</td>');
    // Discarded is the same in both runs: left out, not shown as a loss.
    expect(res).not.toContain('<td class="l">Discarded</td>');
  });

  it('a peripheral’s own flow is carried by the peripheral, not by the node it feeds', () => {
    const mechs = [
      { id: 'wifi', kind: 'cyw43439' },
      { id: 'rm', kind: 'relayMessage' },
    ];
    expect(flowCarrier({ id: 'wifi>stack', mechanism: 'cyw43439' }, mechs)).toBe('wifi');
    expect(flowCarrier({ id: 'stack>rm>http', mechanism: 'relayMessage' }, mechs)).toBe('rm');
    expect(flowCarrier({ id: 'app>wifi', mechanism: 'cyw43439' }, mechs)).toBe('wifi');
    // A peripheral feeding a mechanism directly: its flow is its own.
    expect(flowCarrier({ id: 'wifi>rm', mechanism: 'cyw43439' }, mechs)).toBe('wifi');
  });
});

describe('the span of a run: exports say the figures start after the warm-up', () => {
  const wifi = example('wifi-http-server'); // 4.5 s, of which 3.5 s warm-up
  const s = run(wifi, 7);

  it('the HTML report’s header, the SVG caption and the Mermaid header', () => {
    expect(wifi.run).toMatchObject({ durationNs: 4_500_000_000, warmupNs: 3_500_000_000 });
    const html = designReportHtml({ design: wifi, runs: [{ runId: 1, summary: s }] });
    expect(html).toContain('<b>4.5 s</b> simulated, counted from 3.5 s (warm-up excluded) ·');
    expect(html).toContain('covers the run after its 3.5 s warm-up');
    expect(html).toContain('every delivered message sent after the warm-up (from 3.5 s)');
    expect(designToSvg(wifi, { run: { runId: 1, summary: s } })).toContain('Results of run #1 · seed 7 · 4.5 s simulated, counted from 3.5 s (warm-up excluded) · engine');
    expect(designToMermaid(wifi, { run: { runId: 1, summary: s } }).split('\n')[0]).toBe(`%% ${wifi.name} · results of run #1 (seed 7) · 4.5 s simulated, counted from 3.5 s (warm-up excluded)`);
  });

  it('takes the warm-up from the run (its record, then its snapshot) before the exported design', () => {
    const noWarmup = { ...wifi, run: { ...wifi.run, warmupNs: 0 } };
    // The caller's value wins; then the design the run was recorded from; the exported design only when the run is of it.
    expect(runWarmupNs({ summary: s, warmupNs: 2_000_000_000 }, wifi)).toBe(2_000_000_000);
    expect(runWarmupNs({ summary: s, design: wifi }, noWarmup)).toBe(3_500_000_000);
    expect(runWarmupNs({ summary: s }, wifi)).toBe(3_500_000_000);
    expect(runWarmupNs({ summary: s, note: 'the design was edited after this run' }, wifi)).toBeNull();
    expect(runWarmupNs({ summary: { ...s, design: 'another design' } }, wifi)).toBeNull();
    // Unknown: nothing is claimed either way.
    expect(designToSvg(noWarmup, { run: { runId: 1, summary: s, note: 'the design was edited after this run' } })).toContain('· 4.5 s simulated · engine');
    expect(designToSvg(noWarmup, { run: { runId: 1, summary: s, note: 'edited', warmupNs: 3_500_000_000 } })).toContain('counted from 3.5 s (warm-up excluded)');
    expect(spanText(1_000_000_000, 2_000_000_000)).toBe('1 s simulated, all of it warm-up (2 s): nothing counted');
  });

  it('the compared runs say their warm-up, and a change of it is a change of the run settings', () => {
    const short = { ...wifi, run: { ...wifi.run, warmupNs: 3_000_000_000 } };
    const html = designReportHtml({ design: wifi, runs: [{ runId: 1, summary: s, design: wifi }, { runId: 2, summary: { ...s, designHash: 'other' }, design: short }] });
    expect(html).toContain('<th>Warm-up (not counted)</th>');
    expect(html).toMatch(/<td>#1 \(baseline\)<\/td><td class="l"><\/td><td>7<\/td><td>4.5 s<\/td><td>3.5 s<\/td>/);
    expect(html).toContain('Run settings: warm-up 3.5 s → 3 s.');
  });

  it('a small diagram is made wide enough for its (longer) run line', () => {
    const tiny = new DesignBuilder('tiny').kernel('k').node('p', 'process', 'k').build();
    tiny.run = { ...tiny.run, durationNs: 4_500_000_000, warmupNs: 3_500_000_000 };
    const out = runDesign(tiny, 'hash', { seed: 1, durationNs: 4_500_000_000, warmupNs: 3_500_000_000 });
    const svg = designToSvg(tiny, { run: { runId: 1, summary: { runId: '1', wallMs: 0, ...out.summary } } });
    const sub = /font-size="11.5"[^>]*>([^<]+)</.exec(svg)![1]!;
    expect(sub).toContain('counted from 3.5 s (warm-up excluded)');
    expect(svgSize(svg).width).toBeGreaterThanOrEqual(Math.ceil(textWidth(sub, 11.5) + 48));
  });

  it('a run without a warm-up reads as before', () => {
    const d = example('queues');
    const q = run(d, 7);
    const html = designReportHtml({ design: d, runs: [{ runId: 1, summary: q }, { runId: 2, summary: q }] });
    expect(html).toContain('<b>1 s</b> simulated · ');
    for (const said of ['counted from', 'covers the run after', 'Warm-up', 'sent after the warm-up']) expect(html).not.toContain(said);
    expect(designToSvg(d, { run: { runId: 1, summary: q } })).toContain('· 1 s simulated · engine');
    expect(designToMermaid(d, { run: { runId: 1, summary: q } }).split('\n')[0]).toBe(`%% ${d.name} · results of run #1 (seed 7)`);
  });
});

describe('the report’s comparison of latency per flow', () => {
  it('shows p50, p99 and lost for every run, each against the baseline', () => {
    const d = example('queues');
    const a = run(d, 1);
    const b = run(d, 7);
    const html = designReportHtml({ design: d, runs: [{ runId: 11, summary: a }, { runId: 12, summary: b }] });
    const table = html.slice(html.indexOf('<h3>Latency per flow</h3>'));
    expect(table).toContain('<th>Flow</th><th>#11 p50</th><th>#11 p99</th><th>#11 lost</th><th>#12 p50</th><th>#12 p99</th><th>#12 lost</th>');
    const f = a.flows.find((x) => x.delivered > 0 && b.flows.find((y) => y.id === x.id)!.latencyNs.p50 !== x.latencyNs.p50)!;
    const g = b.flows.find((y) => y.id === f.id)!;
    const cells = row(html.replace('<h3>Latency per flow</h3>', '<h2>Latency per flow</h2>'), 'Latency per flow', f.name.replace(/&/g, '&amp;'));
    expect(cells).toHaveLength(7);
    const rel = (Math.round(((g.latencyNs.p50 - f.latencyNs.p50) / f.latencyNs.p50) * 1000) / 10).toLocaleString('en-US');
    expect(cells[4]).toContain(`(${g.latencyNs.p50 > f.latencyNs.p50 ? '+' : ''}${rel} %)`);
  });
});

describe('messages cut short in the HTML report', () => {
  const d = example('queues');
  const s = run(d, 1);
  const f0 = s.flows[0]!;
  const cut: RunSummary = { ...s, flows: [{ ...f0, truncated: 7 }, ...s.flows.slice(1)] };

  it('the flows table has a Cut column (and says what it is) only when some flow cut messages', () => {
    const html = designReportHtml({ design: d, runs: [{ runId: 1, summary: cut }] });
    expect(html).toContain('<th>Cut</th>');
    expect(row(html, 'Flows', f0.name).slice(1, 4)).toEqual([f0.sent.toLocaleString('en-US'), f0.delivered.toLocaleString('en-US'), '7']);
    expect(html).toContain('Cut = delivered, but truncated');
    const clean = designReportHtml({ design: d, runs: [{ runId: 1, summary: s }] });
    expect(clean).not.toContain('<th>Cut</th>');
  });

  it('the comparison gives every run a cut column when any run cut messages', () => {
    const html = designReportHtml({ design: d, runs: [{ runId: 1, summary: s }, { runId: 2, summary: cut }] });
    expect(html).toContain('<th>#1 cut</th>');
    expect(html).toContain('<th>#2 cut</th>');
    expect(designReportHtml({ design: d, runs: [{ runId: 1, summary: s }, { runId: 2, summary: s }] })).not.toContain(' cut</th>');
  });
});
