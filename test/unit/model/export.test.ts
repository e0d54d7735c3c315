import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDesign } from '../../../src-main/engine/tock/run';
import { designReportHtml, designToMermaid, designToSvg } from '../../../src-shared/export';
import { comparisonOrder } from '../../../src-shared/export/report';
import { fitText, layoutDiagram, textWidth } from '../../../src-shared/export/svg';
import { parseDesignText, type Design } from '../../../src-shared/model';
import type { RunSummary } from '../../../src-shared/results/summary';
import { DesignBuilder } from '../../fixtures/builder';

const examples = join(__dirname, '../../../resources/examples');

function example(name: string): Design {
  const r = parseDesignText(readFileSync(join(examples, `${name}.json`), 'utf8'));
  if (!r.ok) throw new Error(`${name} does not load`);
  return r.design;
}

/** The design's summary over 200 ms after its own warm-up (e.g. the WiFi link's boot). */
function summaryOf(design: Design, durationNs = 200_000_000): RunSummary {
  const out = runDesign(design, 'hash', { seed: 1, durationNs: design.run.warmupNs + durationNs, warmupNs: design.run.warmupNs });
  return { runId: '1', wallMs: 0, ...out.summary };
}

/**
 * A well-formedness check for the XML the exporters write: every tag closed in order, attributes quoted, no bare
 * `<` or `&` in text. Returns the problems (empty when well formed).
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (const m of xml.matchAll(tag)) {
    const between = xml.slice(last, m.index);
    if (/[<>]/.test(between)) problems.push(`stray markup before ${m[0].slice(0, 40)}: ${between.slice(0, 60)}`);
    if (/&(?!(amp|lt|gt|quot|#\d+);)/.test(between)) problems.push(`bare & in ${between.slice(0, 60)}`);
    last = m.index + m[0].length;
    const [, close, name, , self] = m;
    if (self) continue;
    if (close) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}>`);
    } else stack.push(name!);
  }
  if (/[<>]/.test(xml.slice(last).trim())) problems.push('stray markup at the end');
  if (stack.length) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems;
}

const nasty = new DesignBuilder('Rates <&> "quotes"')
  .kernel('k')
  .node('p', 'process', 'k', { periodNs: 1_000_000 })
  .node('m', 'twoCopyChannel', 'k')
  .node('c', 'process', 'k')
  .edge('p', 'm')
  .edge('m', 'c')
  .build();
nasty.nodes.find((n) => n.id === 'p')!.name = 'sensor <a&b> "x"';

describe('SVG export', () => {
  it('is well-formed XML with every node name as real, escaped text', () => {
    for (const name of ['wifi-http-server', 'dual-core-rp2040', 'mechanisms-compare', 'stm32-ethernet']) {
      const d = example(name);
      const svg = designToSvg(d);
      expect(xmlProblems(svg), name).toEqual([]);
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      for (const n of d.nodes) expect(svg, `${name}: ${n.name}`).toContain(`data-id="${n.id}"`);
    }
    const svg = designToSvg(nasty);
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('sensor &lt;a&amp;b&gt; &quot;x&quot;');
    expect(svg).toContain('<title>Rates &lt;&amp;&gt; &quot;quotes&quot;</title>');
    expect(svg).not.toContain('<a&b>');
  });

  it('draws one path per connection and places cards where the canvas has them', () => {
    const d = example('dual-core-rp2040');
    const svg = designToSvg(d);
    expect(svg.match(/<path d="M[^"]*" fill="none"[^>]*data-edge=/g)?.length).toBe(d.edges.length);
    const layout = layoutDiagram(d);
    const kernel = d.nodes.find((n) => n.kind === 'kernel')!;
    const child = d.nodes.find((n) => n.parent === kernel.id)!;
    // Children are positioned relative to their kernel, as on the canvas.
    expect(layout.boxes.get(child.id)!.x).toBe(kernel.position.x + child.position.x);
    expect(layout.boxes.get(kernel.id)!.width).toBe(kernel.size?.width ?? 520);
  });

  it('overlays a run: p99 on the last hop, MPU and CPU badges, losses in red', () => {
    const d = example('dual-core-rp2040');
    const s = summaryOf(d, 1_000_000_000);
    const svg = designToSvg(d, { run: { runId: 42, summary: s } });
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('Results of run #42 · seed 1');
    const p = s.processes[0]!;
    expect(svg).toContain(`MPU ${p.mpuRegionsPeak}/${p.mpuRegionsCapacity}`);
    expect(svg).toMatch(/CPU [\d.]+ %/);
    const lossy = s.flows.find((f) => f.dropped + f.overwritten + f.timedOut + (f.failed ?? 0) > 0);
    expect(lossy, 'the template loses messages when a kernel fails').toBeDefined();
    expect(svg).toContain('marker-end="url(#arrow-lost)"');
    expect(svg).toMatch(/p99 [\d.]+ [µm]?s · [\d,]+ lost/);
    // Without a run: no results anywhere.
    const plain = designToSvg(d);
    expect(plain).not.toContain('p99');
    expect(plain).not.toContain('MPU ');
  });

  it('labels a connection with the kind that carries it, as the canvas does, until results take its place', () => {
    const d = example('mechanisms-compare');
    const plain = designToSvg(d);
    // Each producer's connection into its mechanism is long enough for the mechanism's short label.
    for (const label of ['Notification', 'Relay Message', 'Shared memory']) expect(plain).toMatch(new RegExp(`<text [^>]*>${label}</text>`));
    // A short connection goes without: the same design squeezed so that 30 units separate the cards of each row.
    const layout = layoutDiagram(d);
    const mech = layout.boxes.get('mech0')!;
    const squeezed: Design = {
      ...d,
      nodes: d.nodes.map((n) => {
        if (n.kind !== 'process') return n;
        const x = n.id.startsWith('prod') ? mech.x - layout.boxes.get(n.id)!.width - 30 : mech.x + mech.width + 30;
        return { ...n, position: { ...n.position, x } };
      }),
    };
    expect(designToSvg(squeezed)).not.toMatch(/<text [^>]*>Notification<\/text>/);
    // With a run, the last hop shows its p99 instead; the first hop, which has no result, keeps the kind.
    const withRun = designToSvg(d, { run: { runId: 1, summary: summaryOf(d) } });
    expect(withRun).toMatch(/<text [^>]*>Notification<\/text>/);
    expect(withRun).toMatch(/<text [^>]*>p99 [\d.]+ [µm]?s<\/text>/);
  });

  it('is deterministic, themed, and says when a design is empty', () => {
    const d = example('queues');
    expect(designToSvg(d)).toBe(designToSvg(d));
    expect(designToSvg(d, { theme: 'dark' })).toContain('fill="#0e1116"');
    expect(designToSvg(d, { theme: 'light' })).toContain('fill="#ffffff"');
    expect(designToSvg(new DesignBuilder('nothing').build())).toContain('This design is empty.');
    expect(designToSvg(d, { title: null })).not.toContain('font-size="16"');
  });

  it('cuts text that would not fit, with an ellipsis', () => {
    expect(fitText('short', 200, 12)).toBe('short');
    const cut = fitText('a rather long process name that cannot fit', 100, 12);
    expect(cut.endsWith('…')).toBe(true);
    expect(textWidth(cut, 12)).toBeLessThanOrEqual(100);
  });
});

describe('Mermaid export', () => {
  it('writes kernels as subgraphs, nodes under safe ids, one arrow per connection', () => {
    const d = example('dual-core-rp2040');
    const text = designToMermaid(d);
    expect(text).toContain('flowchart LR');
    expect(text.match(/^ {2}subgraph /gm)?.length).toBe(d.nodes.filter((n) => n.kind === 'kernel').length);
    expect(text.match(/-->/g)?.length).toBe(d.edges.length);
    expect(text).not.toMatch(/^\s+[^n\s%].*-->/m); // arrows only between rewritten ids
    for (const n of d.nodes) expect(text).toContain(n.name);
  });

  it('escapes labels and carries results on arrows, lost links styled', () => {
    const text = designToMermaid(nasty);
    expect(text).toContain('sensor #60;a#38;b#62; #34;x#34;');
    expect(text).not.toContain('"x"');
    const d = example('dual-core-rp2040');
    const s = summaryOf(d, 1_000_000_000);
    const withRun = designToMermaid(d, { run: { runId: 3, summary: s } });
    expect(withRun).toMatch(/-->\|"p99 [^"]+"\|/);
    expect(withRun).toMatch(/^ {2}linkStyle [\d,]+ stroke:#d92d20/m);
    expect(withRun).toContain('results of run #3 (seed 1)');
  });
});

describe('HTML report', () => {
  it('is one self-contained document: no script, no external resource, a strict CSP', () => {
    const d = example('wifi-http-server');
    const html = designReportHtml({ design: d, runs: [] });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('No run: the diagram and the design only.');
    expect(html).toContain('<svg');
    // The design file itself is embedded, escaped.
    expect(html).toContain('&quot;format&quot;: &quot;tock-ipc-studio/design&quot;');
  });

  it('has the run summary tables, the latency chart and a comparison with further runs', () => {
    const d = example('wifi-http-server');
    const s1 = summaryOf(d);
    const s2 = { ...summaryOf({ ...d, run: { ...d.run, seed: 2 } }), seed: 2 } as RunSummary;
    const f = s1.flows[0]!;
    const html = designReportHtml({
      design: d,
      runs: [
        { runId: 11, summary: s1, label: 'baseline', cdfs: { [f.id]: { latencyNs: [f.latencyNs.p50, f.latencyNs.max], fraction: [0.5, 1] } } },
        { runId: 12, summary: s2 },
      ],
      generated: 'Exported for a test',
    });
    expect(html).toContain('Run <b>#11</b> (baseline)');
    expect(html).toContain('<h2>Flows</h2>');
    for (const fl of s1.flows) expect(html).toContain(`<td>${fl.name.replace(/&/g, '&amp;')}</td>`);
    expect(html).toContain('aria-label="Latency CDF per flow"');
    expect(html).toContain('<h2>Comparison</h2>');
    expect(html).toContain('#12 p99');
    expect(html).toContain('Exported for a test');
    for (const k of s1.kernels) expect(html).toContain(`<td>${k.name}</td>`);
    expect(html).toContain('<h2>Where the copies happen</h2>');
    expect(html).toContain('<td class="l">bus buffer → driver buffer (memcpy)</td>');
  });
});

describe('HTML report charts and comparison', () => {
  /** The `<figure>` of the chart with this title (its caption), or '' when there is none. */
  function figure(html: string, title: string): string {
    const at = html.indexOf(`<figcaption>${title}</figcaption>`);
    return at < 0 ? '' : html.slice(at, html.indexOf('</figure>', at));
  }

  it('draws bars of MPU regions per process, CPU per kernel and copies / max depth per mechanism from the summary', () => {
    const d = example('queues');
    const s = summaryOf(d);
    const over = { ...s, processes: s.processes.map((p, i) => (i === 0 ? { ...p, mpuRegionsPeak: p.mpuRegionsCapacity + 1 } : p)) } as RunSummary;
    const html = designReportHtml({ design: d, runs: [{ runId: 1, summary: over }] });
    expect(xmlProblems(html.slice(html.indexOf('<h2>Mechanisms</h2>'), html.indexOf('<h2>Design file</h2>')).replace(/<\/?(p|br|meta)\b[^>]*>/g, ''))).toEqual([]);

    const mpu = figure(html, 'MPU regions per process (peak / capacity)');
    expect(mpu).toContain('aria-label="MPU regions per process (peak / capacity)"');
    for (const p of over.processes) expect(mpu).toContain(`>${p.mpuRegionsPeak} / ${p.mpuRegionsCapacity}</text>`);
    // Over capacity: that bar and its number in red; the others in the bar colour.
    expect(mpu).toMatch(new RegExp(`fill="#d92d20"><title>${over.processes[0]!.name}: `));
    expect(mpu).toMatch(new RegExp(`fill="#2563eb"><title>${over.processes[1]!.name}: `));

    const cpu = figure(html, 'CPU utilisation per kernel');
    for (const k of s.kernels) expect(cpu).toContain(`${(Math.round(k.cpuUtilization * 1000) / 10).toLocaleString('en-US')} %</text>`);

    const copies = figure(html, 'Copies per mechanism (count · bytes)');
    const depth = figure(html, 'Max queue depth per mechanism (red: it lost messages)');
    for (const m of s.mechanisms) {
      expect(copies).toContain(`<title>${m.name}</title>`);
      expect(depth).toContain(`>${m.maxDepth.toLocaleString('en-US')}</text>`);
    }
    expect(s.mechanisms.some((m) => m.drops > 0)).toBe(true);
    expect(figure(html, 'Messages lost per mechanism (dropped, overwritten, timed out or failed)')).not.toBe('');
    // A bar's length is its share of the largest value (the widest bar spans the plot: 540 − 160 − 104 px).
    const widths = [...depth.matchAll(/<rect x="160" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.max(...widths)).toBeCloseTo(276, 0);
  });

  it('compares oldest first (the lowest run id is the baseline) whichever run is detailed', () => {
    const d = example('queues');
    const s1 = summaryOf(d, 1_000_000_000);
    const s2: RunSummary = { runId: '2', wallMs: 0, ...runDesign(d, 'hash', { seed: 7, durationNs: d.run.warmupNs + 1_000_000_000, warmupNs: d.run.warmupNs }).summary };
    const html = designReportHtml({ design: d, runs: [{ runId: 12, summary: s2 }, { runId: 11, summary: s1 }] });
    expect(html).toContain('Run <b>#12</b>'); // the exported run is still the one detailed
    expect(html).toContain('against run #11 (the baseline), so changes read old → new');
    // Every run has the same three columns: p50, p99 and lost.
    for (const id of [11, 12]) for (const c of ['p50', 'p99', 'lost']) expect(html).toContain(`<th>#${id} ${c}</th>`);
    const f1 = s1.flows.find((f) => f.delivered > 0 && s2.flows.find((g) => g.id === f.id)!.latencyNs.p99 !== f.latencyNs.p99)!;
    const f2 = s2.flows.find((f) => f.id === f1.id)!;
    const rel = (Math.round(((f2.latencyNs.p99 - f1.latencyNs.p99) / f1.latencyNs.p99) * 1000) / 10).toLocaleString('en-US');
    expect(html).toContain(`(${f2.latencyNs.p99 > f1.latencyNs.p99 ? '+' : ''}${rel} %)`);
    expect(html.indexOf('<td>#11 (baseline)</td>')).toBeLessThan(html.indexOf('<td>#12</td>'));
    // A baseline made by hand leads; the others follow oldest first.
    const runs = [10, 12, 11].map((runId) => ({ runId, summary: s1 }));
    expect(comparisonOrder(runs, 12).map((r) => r.runId)).toEqual([12, 10, 11]);
    expect(comparisonOrder(runs, 99).map((r) => r.runId)).toEqual([10, 11, 12]);
    const byHand = designReportHtml({ design: d, runs: [{ runId: 12, summary: s2 }, { runId: 11, summary: s1 }], baselineRunId: 12 });
    expect(byHand).toContain('Against run #12 (made the baseline in Compare)');
    expect(byHand).toContain('<th>#12 p50</th>');
  });

  it('overlays each flow’s latency CDF across the compared runs that carry samples', () => {
    const d = example('queues');
    const s1 = summaryOf(d);
    const s2 = { ...summaryOf({ ...d, run: { ...d.run, seed: 2 } }), seed: 2 } as RunSummary;
    const f = s1.flows[0]!;
    const cdf = (k: number) => ({ [f.id]: { latencyNs: [f.latencyNs.p50 * k, f.latencyNs.max * k], fraction: [0.5, 1] } });
    const html = designReportHtml({ design: d, runs: [{ runId: 8, summary: s2, cdfs: cdf(2) }, { runId: 7, summary: s1, label: 'before', cdfs: cdf(1) }] });
    const fig = figure(html, f.name.replace(/&/g, '&amp;'));
    expect(fig).toContain(`aria-label="Latency CDF of ${f.name} per run"`);
    // One line per run, the baseline's first (and wider), in the runs' colours.
    expect([...fig.matchAll(/<path d="M[^"]+" fill="none" stroke="(#[0-9a-f]+)"[^>]*><title>([^<]+)<\/title>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['#2563eb', '#7 before'],
      ['#0d9488', '#8'],
    ]);
    expect(html).toContain('<span style="--c:#2563eb">#7 before (baseline)</span>');
    // Samples of one run only: nothing to overlay, and the report says so.
    const one = designReportHtml({ design: d, runs: [{ runId: 8, summary: s2, cdfs: cdf(2) }, { runId: 7, summary: s1 }] });
    expect(one).not.toContain('per run"');
    expect(one).toContain('Latency distributions are included for run #8 only, so they are not overlaid');
  });

  it('lists what changed in the design and the run settings from the baseline to each run', () => {
    const a = example('queues');
    const b = structuredClone(a);
    b.nodes.find((n) => n.id === 'ctl')!.params = { ...b.nodes.find((n) => n.id === 'ctl')!.params, serviceTimeNs: 400_000 };
    b.nodes.find((n) => n.id === 'rb')!.params = { ...b.nodes.find((n) => n.id === 'rb')!.params, capacity: 16 };
    const sa = summaryOf(a);
    const sb = { ...summaryOf(b), seed: 3, designHash: 'other' } as RunSummary;
    const html = designReportHtml({ design: b, runs: [{ runId: 3, summary: sb, design: b }, { runId: 1, summary: sa, design: a }] });
    const changed = html.slice(html.indexOf('<h3>What changed</h3>'));
    expect(changed).toContain('<b>#1 → #3</b>: 2 changes in the design. Run settings: seed 1 → 3.');
    expect(changed).toContain('<td class="l">changed</td><td class="l">Service “controller”</td><td class="l">Mean service time</td><td class="l">200 µs</td><td class="l">400 µs</td>');
    expect(changed).toContain('<td class="l">Ring buffer “UDP ring”</td><td class="l">Capacity</td><td class="l">4</td><td class="l">16</td>');
    // Per process / mechanism / kernel: only what differs is listed, with its change against the baseline.
    const res = html.slice(html.indexOf('<h3>Processes, mechanisms and kernels</h3>'), html.indexOf('<h3>What changed</h3>'));
    const ma = sa.mechanisms.find((m) => m.id === 'rb')!;
    const mb = sb.mechanisms.find((m) => m.id === 'rb')!;
    expect(ma.maxDepth).not.toBe(mb.maxDepth);
    expect(res).toMatch(new RegExp(`<td>UDP ring</td><td class="l">Max depth</td><td>${ma.maxDepth}</td><td class="(bad|good)">${mb.maxDepth} \\(`));
    expect(res).toMatch(/Left out: \d+ values the same in every run\./);

    // Without the designs: the hashes say whether the design is the same.
    const same = designReportHtml({ design: a, runs: [{ runId: 2, summary: { ...sa, seed: 2 } }, { runId: 1, summary: sa }] });
    expect(same).toContain(`<b>#1 → #2</b>: the same design (${sa.designHash.slice(0, 12)}). Run settings: seed 1 → 2.`);
    const differs = designReportHtml({ design: b, runs: [{ runId: 3, summary: sb }, { runId: 1, summary: sa }] });
    expect(differs).toContain('the two designs are not part of this export, so the changes are not listed.');
  });
});
