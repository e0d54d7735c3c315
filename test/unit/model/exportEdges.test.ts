import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDesign } from '../../../src-main/engine/tock/run';
import { designToSvg, layoutDiagram } from '../../../src-shared/export/svg';
import { parseDesignText, type Design } from '../../../src-shared/model';
import type { RunSummary } from '../../../src-shared/results/summary';
import { formatDuration } from '../../../src-shared/util/units';
import { DesignBuilder } from '../../fixtures/builder';

type Point = [number, number];

function example(name: string): Design {
  const r = parseDesignText(readFileSync(join(__dirname, '../../../resources/examples', `${name}.json`), 'utf8'));
  if (!r.ok) throw new Error(`${name} does not load`);
  return r.design;
}

function summaryOf(design: Design): RunSummary {
  const out = runDesign(design, 'hash', { seed: 1, durationNs: design.run.warmupNs + 200_000_000, warmupNs: design.run.warmupNs });
  return { runId: '1', wallMs: 0, ...out.summary };
}

/**
 * A virtio NIC and the process it serves, side by side as in the virtio template: received packets go forward
 * (rx → the process), the process's packets go back (its out port → the NIC's tx, on the NIC's left). Their kernel
 * ends just below them, as the template's does under its last row.
 */
function pair(withBack = true): Design {
  const b = new DesignBuilder('pair').kernel('k').node('nic', 'virtioNet', 'k', { rxWorkload: 'poisson', rxRatePerSec: 500, rxPayloadBytes: 1024 });
  b.node('app', 'process', 'k', { workload: 'periodic', periodNs: 5_000_000, payloadBytes: 512 }).edge('nic', 'app', 'rx', 'in');
  if (withBack) b.edge('app', 'nic', 'out', 'tx');
  const d = b.build();
  d.nodes.find((n) => n.id === 'k')!.size = { width: 560, height: 160 };
  d.nodes.find((n) => n.id === 'nic')!.position = { x: 40, y: 60 };
  d.nodes.find((n) => n.id === 'app')!.position = { x: 320, y: 60 };
  return d;
}

function pathOf(svg: string, edgeId: string): string {
  const m = new RegExp(`<path d="([^"]*)"[^>]*data-edge="${edgeId}"`).exec(svg);
  if (!m) throw new Error(`no path for ${edgeId}`);
  return m[1]!;
}

/** The points a path passes through: its absolute M/L/Q/C commands, the curves sampled. */
function pathPoints(d: string): Point[] {
  const points: Point[] = [];
  for (const [, cmd, args] of d.matchAll(/([MLQC])([^MLQC]*)/g)) {
    const nums = args!.trim().split(/[\s,]+/).map(Number);
    const ctrl: Point[] = [];
    for (let i = 0; i < nums.length; i += 2) ctrl.push([nums[i]!, nums[i + 1]!]);
    if (cmd === 'M' || cmd === 'L') {
      points.push(...ctrl);
      continue;
    }
    const from = points[points.length - 1]!;
    const all = [from, ...ctrl];
    for (let k = 1; k <= 20; k++) {
      // De Casteljau: the curve's point at t.
      let level = all;
      while (level.length > 1) level = level.slice(1).map((p, i) => [level[i]![0] + (p[0] - level[i]![0]) * (k / 20), level[i]![1] + (p[1] - level[i]![1]) * (k / 20)] as Point);
      points.push(level[0]!);
    }
  }
  return points;
}

/** How far `p` is from the polyline through `points`. */
function distanceTo(points: readonly Point[], [x, y]: Point): number {
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1]!;
    const [bx, by] = points[i]!;
    const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len2));
    best = Math.min(best, Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))));
  }
  return best;
}

interface Label {
  text: string;
  x: number;
  y: number;
  width: number;
  /** The middle of its box: where it sits on its edge. */
  at: Point;
}

function labels(svg: string): Label[] {
  return [...svg.matchAll(/<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="17" rx="4"[^>]*\/><text [^>]*>([^<]*)<\/text>/g)].map((m) => {
    const [x, y, width] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return { text: m[4]!, x, y, width, at: [x + width / 2, y + 9] };
  });
}

function overlap(a: Label, b: Label): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + 17 && b.y < a.y + 17;
}

/** The bottom of a card as drawn (SVG coordinates). */
function cardBottom(svg: string, id: string): number {
  const m = new RegExp(`<g class="card" data-id="${id}">\\s*<title>[^<]*</title>\\s*<rect x="[\\d.-]+" y="([\\d.-]+)" width="[\\d.]+" height="([\\d.]+)"`).exec(svg);
  if (!m) throw new Error(`no card ${id}`);
  return Number(m[1]) + Number(m[2]);
}

/** What the label of the edge from `source` to `target` reads: the p99 of the flow ending there. */
function p99Label(s: RunSummary, source: string, target: string): string {
  const flow = s.flows.find((f) => f.id === `${source}>${target}`);
  if (!flow) throw new Error(`no flow ${source}>${target}`);
  return `p99 ${formatDuration(flow.latencyNs.p99, 3)}`;
}

describe('SVG export of back edges', () => {
  it('routes a back edge around below both cards, off the forward edge between them', () => {
    const d = pair();
    const svg = designToSvg(d, { run: { runId: 1, summary: summaryOf(d) } });
    const forward = pathPoints(pathOf(svg, 'e1'));
    const back = pathPoints(pathOf(svg, 'e2'));
    // The ports are level: the forward edge is the straight line between them.
    const portY = forward[0]![1];
    expect(forward.every(([, y]) => y === portY)).toBe(true);
    // The back edge leaves that line and runs below both cards, where none of it is hidden by them.
    const lowest = Math.max(...back.map(([, y]) => y));
    expect(lowest).toBeGreaterThan(Math.max(cardBottom(svg, 'nic'), cardBottom(svg, 'app')));
    // It still starts at the process's out port (right of the forward edge) and ends at the NIC's in port (left of it).
    const fx = forward.map(([x]) => x);
    const [start, end] = [back[0]!, back[back.length - 1]!];
    expect(start[0]).toBeGreaterThan(Math.max(...fx));
    expect(end[0]).toBeLessThan(Math.min(...fx));
    expect([start[1], end[1]]).toEqual([portY, portY]);
    // Away from its ends it is nowhere on the forward edge.
    expect(back.slice(2, -2).every((p) => distanceTo(forward, p) > 5)).toBe(true);
  });

  it("labels each edge of an opposite pair on its own path, with its own flow's p99", () => {
    const d = pair();
    const s = summaryOf(d);
    const svg = designToSvg(d, { run: { runId: 1, summary: s } });
    const forwardText = p99Label(s, 'nic', 'app');
    const backText = p99Label(s, 'app', 'nic');
    const found = labels(svg);
    expect(found.map((l) => l.text).sort()).toEqual([forwardText, backText].sort());
    const forward = found.find((l) => l.text === forwardText)!;
    const back = found.find((l) => l.text === backText)!;
    expect(overlap(forward, back)).toBe(false);
    expect(distanceTo(pathPoints(pathOf(svg, 'e1')), forward.at)).toBeLessThan(1);
    expect(distanceTo(pathPoints(pathOf(svg, 'e2')), back.at)).toBeLessThan(1);
    // Each sits on its own edge only: the forward edge's label is not on the back edge, nor the other way round.
    expect(distanceTo(pathPoints(pathOf(svg, 'e2')), forward.at)).toBeGreaterThan(5);
    expect(distanceTo(pathPoints(pathOf(svg, 'e1')), back.at)).toBeGreaterThan(5);
  });

  it('leaves forward edges as they were, and makes room below the cards for a loop and its label', () => {
    const both = pair();
    const forwardOnly = pair(false);
    const s = summaryOf(both);
    const svg = designToSvg(both, { run: { runId: 1, summary: s } });
    const plain = designToSvg(forwardOnly, { run: { runId: 1, summary: s } });
    // The canvas's bezier, half the distance between the ports out of each; its label at its middle.
    const layout = layoutDiagram(forwardOnly);
    const gap = layout.boxes.get('app')!.x - (layout.boxes.get('nic')!.x + layout.boxes.get('nic')!.width);
    const [x1, y1] = pathPoints(pathOf(plain, 'e1'))[0]!;
    const x2 = x1 + gap;
    expect(pathOf(plain, 'e1')).toBe(`M${x1},${y1} C${x1 + gap / 2},${y1} ${x2 - gap / 2},${y1} ${x2},${y1}`);
    expect(pathOf(svg, 'e1')).toBe(pathOf(plain, 'e1'));
    const forwardText = p99Label(s, 'nic', 'app');
    expect(labels(svg).find((l) => l.text === forwardText)).toEqual(labels(plain).find((l) => l.text === forwardText));
    const [mx, my] = labels(plain).find((l) => l.text === forwardText)!.at;
    expect(mx).toBeCloseTo((x1 + x2) / 2, 0);
    expect(my).toBe(y1);
    // The loop hangs below the kernel's box here: the picture grows to hold it and its label.
    const height = (x: string): number => Number(/<svg[^>]*\sheight="(\d+)"/.exec(x)![1]);
    const back = labels(svg).find((l) => l.text === p99Label(s, 'app', 'nic'))!;
    expect(height(svg)).toBeGreaterThan(height(plain));
    expect(height(svg)).toBeGreaterThanOrEqual(back.y + 17);
  });

  it('keeps the labels of the virtio template apart, each on its own edge and reading its own flow', () => {
    const d = example('virtio-qemu');
    const s = summaryOf(d);
    const svg = designToSvg(d, { run: { runId: 1, summary: s } });
    const found = labels(svg);
    expect(found).toHaveLength(d.edges.length);
    for (const e of d.edges) {
      const label = found.find((l) => l.text === p99Label(s, e.source, e.target));
      expect(label, e.id).toBeDefined();
      expect(distanceTo(pathPoints(pathOf(svg, e.id)), label!.at), e.id).toBeLessThan(1);
      for (const other of d.edges) if (other !== e) expect(distanceTo(pathPoints(pathOf(svg, other.id)), label!.at), `${e.id} on ${other.id}`).toBeGreaterThan(5);
    }
    for (const a of found) for (const b of found) if (a !== b) expect(overlap(a, b), `${a.text} / ${b.text}`).toBe(false);
  });

  it('runs back edges across the same stretch on lanes of their own, their labels apart', () => {
    // Two replies into one card from two cards to its right (as in the STM32 template): their loops would share the
    // stretch below the cards, and their labels would stack.
    const b = new DesignBuilder('replies').kernel('k').node('q', 'relayRequest', 'k').node('a', 'process', 'k', { periodNs: 1_000_000 });
    const d = b.node('c', 'process', 'k', { periodNs: 1_000_000 }).edge('a', 'q').edge('c', 'q').build();
    d.nodes.find((n) => n.id === 'q')!.position = { x: 40, y: 60 };
    d.nodes.find((n) => n.id === 'a')!.position = { x: 320, y: 60 };
    d.nodes.find((n) => n.id === 'c')!.position = { x: 600, y: 60 };
    const svg = designToSvg(d);
    const lowest = (id: string): number => Math.max(...pathPoints(pathOf(svg, id)).map(([, y]) => y));
    expect(lowest('e1')).toBeGreaterThan(cardBottom(svg, 'q'));
    expect(Math.abs(lowest('e1') - lowest('e2'))).toBeGreaterThanOrEqual(17);
    const found = labels(svg);
    expect(found).toHaveLength(2);
    expect(overlap(found[0]!, found[1]!)).toBe(false);
    expect(distanceTo(pathPoints(pathOf(svg, 'e1')), found[0]!.at)).toBeLessThan(1);
    expect(distanceTo(pathPoints(pathOf(svg, 'e2')), found[1]!.at)).toBeLessThan(1);
  });
});
