import { describe, expect, it } from 'vitest';
import { formatFinding, loadDesignObject, validateDesign, type Finding } from '../../../src-shared/model';
import { DesignBuilder } from '../../fixtures/builder';

function pair(mech: string, mechParams = {}, chip = 'stm32f429'): DesignBuilder {
  return new DesignBuilder()
    .kernel('k', { chip })
    .node('a', 'process', 'k')
    .node('m', mech, 'k', mechParams)
    .node('b', 'process', 'k', { workload: 'none' })
    .edge('a', 'm')
    .edge('m', 'b');
}

function only(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

describe('validator: errors', () => {
  it('accepts a well-formed pair with no findings', () => {
    expect(validateDesign(pair('twoCopyChannel').build())).toEqual([]);
  });

  it('names an unknown kind with a suggestion', () => {
    const f = validateDesign(pair('twoCopyChanel').build());
    expect(f[0]).toMatchObject({ severity: 'error', code: 'unknown-kind', path: 'nodes[2].kind' });
    expect(f[0]!.message).toContain('did you mean "twoCopyChannel"');
  });

  it('refuses out-of-range, wrongly typed and unknown parameters, with their paths', () => {
    const d = pair('twoCopyChannel', { capacity: -1, whenFull: 'explode', bogus: 1 }).build();
    d.nodes[1]!.params.payloadBytes = 'lots';
    const f = validateDesign(d);
    const paths = f.map((x) => x.path).sort();
    expect(paths).toEqual(['nodes[1].params.payloadBytes', 'nodes[2].params.bogus', 'nodes[2].params.capacity', 'nodes[2].params.whenFull']);
    expect(f.find((x) => x.path.endsWith('capacity'))!.message).toMatch(/is -1 entries, outside the allowed range 0 – 65,536 entries \(whole\) · 0 = unbounded/);
    expect(f.find((x) => x.path.endsWith('whenFull'))!.message).toMatch(/reject, dropOldest/);
  });

  it('refuses a fraction where a whole number is needed', () => {
    const f = validateDesign(pair('twoCopyChannel', { capacity: 2.5 }).build());
    expect(f[0]).toMatchObject({ code: 'bad-param', path: 'nodes[2].params.capacity' });
  });

  it('normalises durations typed with units', () => {
    const d = new DesignBuilder().kernel('k').node('a', 'process', 'k', { periodNs: '5ms', workload: 'none' }).build();
    expect(validateDesign(d)).toEqual([]);
    expect(d.nodes[1]!.params.periodNs).toBe(5_000_000);
  });

  it('requires a fault to name an existing target of the right kind', () => {
    const base = pair('twoCopyChannel');
    const missing = validateDesign(base.build().nodes.length ? new DesignBuilder().kernel('k').node('f', 'processCrash', undefined).build() : base.build());
    expect(missing[0]).toMatchObject({ code: 'missing-param', path: 'nodes[1].params.targetId' });
    const dangling = validateDesign(new DesignBuilder().kernel('k').node('f', 'processCrash', undefined, { targetId: 'ghost' }).build());
    expect(dangling[0]).toMatchObject({ code: 'dangling-ref', path: 'nodes[1].params.targetId' });
    const wrong = validateDesign(new DesignBuilder().kernel('k').node('f', 'processCrash', undefined, { targetId: 'k' }).build());
    expect(wrong[0]).toMatchObject({ code: 'bad-ref' });
  });

  it('refuses a process outside any kernel and a node inside a non-kernel', () => {
    const d = new DesignBuilder().kernel('k').node('p', 'process', undefined).node('q', 'process', 'p').build();
    const f = validateDesign(d);
    expect(f.map((x) => [x.code, x.path])).toEqual([
      ['no-kernel', 'nodes[1].parent'],
      ['bad-parent', 'nodes[2].parent'],
    ]);
  });

  it('refuses dangling edges and duplicate ids', () => {
    const d = pair('twoCopyChannel').edge('a', 'ghost').build();
    d.nodes.push({ ...d.nodes[1]!, name: 'again' });
    const f = validateDesign(d);
    expect(f.some((x) => x.code === 'dangling-edge' && x.path === 'edges[2].target')).toBe(true);
    expect(f.some((x) => x.code === 'duplicate-id' && x.path === 'nodes[4].id')).toBe(true);
  });

  it('names the element of each finding as a person sees it, and says a range in its unit', () => {
    const d = pair('twoCopyChannel').build();
    d.nodes.find((n) => n.id === 'a')!.params = { payloadBytes: 1e9 };
    const f = validateDesign(d).find((x) => x.path.endsWith('payloadBytes'))!;
    expect(f.where).toBe('Process “a”');
    expect(f.message).toBe('Payload is 1000000000 B, outside the allowed range 1 B – 64 KiB');
    expect(formatFinding(f)).toMatch(/^error nodes\[\d\]\.params\.payloadBytes: Payload is .* \(Process “a”\)$/);
  });

  it('refuses illegal connections with the reason', () => {
    const direct = validateDesign(new DesignBuilder().kernel('k').node('a', 'process', 'k').node('b', 'process', 'k').edge('a', 'b').build());
    expect(direct[0]).toMatchObject({ code: 'illegal-connection', path: 'edges[0]', where: 'connection “a” → “b”' });
    expect(direct[0]!.message).toMatch(/cannot talk to each other directly/);
    const toProcess = validateDesign(pair('relayRequest').build());
    expect(toProcess[0]!.message).toMatch(/make "Process" a Service|a Service/);
    const backwards = validateDesign(pair('twoCopyChannel').edge('m', 'a', 'in', 'out').build());
    expect(only(backwards, 'illegal-connection')[0]!.message).toMatch(/input; connections start at an output/);
  });

  it('refuses a kernel-local mechanism used across kernels, and an inter-kernel channel within one kernel', () => {
    const cross = new DesignBuilder()
      .kernel('k0').kernel('k1')
      .node('a', 'process', 'k0').node('m', 'twoCopyChannel', 'k0').node('b', 'process', 'k1', { workload: 'none' })
      .edge('a', 'm').edge('m', 'b').build();
    const f = validateDesign(cross);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'illegal-connection', path: 'edges[1]' });
    expect(f[0]!.message).toMatch(/kernel-local mechanism cannot cross kernels/);
    const same = new DesignBuilder()
      .kernel('k0')
      .node('a', 'process', 'k0').node('m', 'interKernelChannel', undefined).node('b', 'process', 'k0', { workload: 'none' })
      .edge('a', 'm').edge('m', 'b').build();
    expect(validateDesign(same)[0]!.message).toMatch(/same kernel/);
  });
});

describe('validator: lint warnings', () => {
  it('warns when shares exceed a process MPU budget', () => {
    const b = new DesignBuilder().kernel('k').node('svc', 'service', 'k').node('m', 'legacyIpc', 'k').edge('m', 'svc');
    for (let i = 0; i < 6; i++) b.node(`c${i}`, 'process', 'k').edge(`c${i}`, 'm');
    const f = only(validateDesign(b.build()), 'mpu-budget');
    expect(f).toHaveLength(1);
    expect(f[0]!.path).toBe('nodes[1]');
    expect(f[0]!.message).toMatch(/needs 6 MPU regions .* leaves 5 free/);
  });

  it('warns about alignment waste and unmappable buffers, with the bytes', () => {
    const waste = only(validateDesign(pair('sharedMemory', { chunkBytes: 100 }).build()), 'mpu-alignment');
    expect(waste[0]!.path).toBe('nodes[2].params.chunkBytes');
    expect(waste[0]!.message).toMatch(/takes a 128 B region .* 28 B wasted/);
    const packed = only(validateDesign(pair('sharedMemory', { chunkBytes: 256, chunkPlacement: 'unaligned' }).build()), 'mpu-alignment');
    expect(packed[0]!.message).toMatch(/cannot be mapped/);
  });

  it('warns about an unbounded queue, writable shared memory, fate-sharing and an unused service', () => {
    expect(only(validateDesign(pair('twoCopyChannel', { capacity: 0 }).build()), 'unbounded-queue')[0]!.path).toBe('nodes[2].params.capacity');
    expect(only(validateDesign(pair('sharedMemory', { access: 'writableBoth' }).build()), 'toctou')).toHaveLength(1);
    const ikc = new DesignBuilder()
      .kernel('k0').kernel('k1')
      .node('a', 'process', 'k0').node('m', 'interKernelChannel', undefined, { mode: 'byReference' }).node('b', 'process', 'k1', { workload: 'none' })
      .edge('a', 'm').edge('m', 'b').build();
    expect(only(validateDesign(ikc), 'fate-sharing')).toHaveLength(1);
    const lonely = new DesignBuilder().kernel('k').node('s', 'service', 'k').build();
    expect(only(validateDesign(lonely), 'unused-service')[0]!.path).toBe('nodes[1]');
  });

  it('warns when a sender\'s messages are longer than its mechanism takes: cut (truncated) or refused', () => {
    const cut = pair('twoCopyChannel', { maxMessageBytes: 256 }).build();
    cut.nodes[1]!.params.payloadBytes = 1024;
    const f = only(validateDesign(cut), 'message-too-long');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', path: 'nodes[1].params.payloadBytes', nodeId: 'a', paramKey: 'payloadBytes' });
    expect(f[0]!.message).toMatch(/sends 1 KiB messages into "m", whose max message is 256 B: every message is cut to 256 B/);
    const refused = pair('packetFifo', { maxPacketBytes: 100 }).build();
    refused.nodes[1]!.params.payloadBytes = 101;
    expect(only(validateDesign(refused), 'message-too-long')[0]!.message).toMatch(/max packet is 100 B: every message is refused \(counted as dropped\)/);
    const fits = pair('twoCopyChannel', { maxMessageBytes: 256 }).build();
    fits.nodes[1]!.params.payloadBytes = 256;
    expect(only(validateDesign(fits), 'message-too-long')).toEqual([]);
    const silent = pair('ringBuffer', { entryBytes: 16 }).build();
    silent.nodes[1]!.params = { workload: 'none', payloadBytes: 64 };
    expect(only(validateDesign(silent), 'message-too-long')).toEqual([]); // sends nothing
  });

  it('warns when a Relay Message receiver slice cannot hold one message with its header (every send is refused)', () => {
    const tight = pair('relayMessage', { sliceBytes: 64, headerBytes: 12 }).build();
    // The slice's own 8-byte header leaves 56 B: 12 + 45 does not fit, 12 + 44 does.
    tight.nodes[1]!.params.payloadBytes = 45;
    const f = only(validateDesign(tight), 'message-too-long');
    expect(f).toMatchObject([{ path: 'nodes[1].params.payloadBytes', nodeId: 'a', paramKey: 'payloadBytes' }]);
    expect(f[0]!.message).toMatch(/that is 57 B, more than the 56 B the receiver slice of 64 B holds after its 8-byte header: every message is refused \(exceeded/);
    tight.nodes[1]!.params.payloadBytes = 44;
    expect(only(validateDesign(tight), 'message-too-long')).toEqual([]);
  });

  it('warns when a process sends a payload into a notification, which carries only its upcall words', () => {
    const n = pair('notification', { payloadWords: 2 }).build();
    n.nodes[1]!.params.payloadBytes = 1_500;
    const f = only(validateDesign(n), 'message-too-long');
    expect(f).toMatchObject([{ path: 'nodes[1].params.payloadBytes', nodeId: 'a', paramKey: 'payloadBytes' }]);
    expect(f[0]!.message).toMatch(/sends 1.465 KiB messages into "m", a notification whose upcall carries 2 words \(8 B\): only that arrives/);
    n.nodes[1]!.params.payloadBytes = 8;
    expect(only(validateDesign(n), 'message-too-long')).toEqual([]);
  });

  it('warns when an app\'s RX slice under the ethernet tap cannot hold one inbound frame with the tap header', () => {
    const tap = (kind: string, params: Record<string, number | string>): ReturnType<DesignBuilder['build']> =>
      new DesignBuilder().kernel('k').node('dev', kind, 'k', { rxWorkload: 'periodic', ...params }).node('r', 'process', 'k', { workload: 'none' }).edge('dev', 'r', 'rx', 'in').build();
    // VirtIO net: 1,000 B slice → 992 B of data; 12 + 981 = 993 B does not fit, 12 + 980 does.
    const f = only(validateDesign(tap('virtioNet', { rxSliceBytes: 1_000, rxPayloadBytes: 981 })), 'slice-too-small');
    expect(f).toMatchObject([{ severity: 'warning', path: 'nodes[1].params.rxSliceBytes', nodeId: 'dev', paramKey: 'rxSliceBytes' }]);
    expect(f[0]!.message).toMatch(/RX slice of 1000 B holds 992 B after its 8-byte header, less than one inbound frame with the tap's header \(993 B\): every inbound frame is dropped/);
    expect(only(validateDesign(tap('virtioNet', { rxSliceBytes: 1_000, rxPayloadBytes: 980 })), 'slice-too-small')).toEqual([]);
    // The STM32 MAC's tap header is a parameter; no inbound traffic, no warning.
    expect(only(validateDesign(tap('stm32Ethernet', { rxSliceBytes: 1_000, rxPayloadBytes: 980, tapHeaderBytes: 20 })), 'slice-too-small')).toHaveLength(1);
    expect(only(validateDesign(tap('cyw43439', { rxSliceBytes: 64, rxWorkload: 'none' })), 'slice-too-small')).toEqual([]);
  });

  it('warns when a CYW43439 link comes up (the driver\'s boot) after the run ends, or after the warm-up', () => {
    const wifi = (run: { durationNs: number; warmupNs?: number }, params: Record<string, number | string> = {}): ReturnType<DesignBuilder['build']> => {
      const d = new DesignBuilder('w', run).kernel('k', { chip: 'rp2040' }).node('dev', 'cyw43439', 'k', { rxWorkload: 'none', ...params }).node('s', 'process', 'k').edge('s', 'dev', 'out', 'tx').build();
      d.run.warmupNs = run.warmupNs ?? 0;
      return d;
    };
    // At the defaults the link is up at 3,283,466,240 ns.
    const short = only(validateDesign(wifi({ durationNs: 1e9 })), 'link-not-up');
    expect(short).toMatchObject([{ severity: 'warning', path: 'nodes[1].params.bootWaitNs', nodeId: 'dev', paramKey: 'bootWaitNs' }]);
    expect(short[0]!.message).toMatch(/link up only at 3\.283 s \(the driver's boot\), after this 1 s run: no frame crosses it/);
    const noWarmup = only(validateDesign(wifi({ durationNs: 5e9 })), 'link-not-up');
    expect(noWarmup[0]!.message).toMatch(/after the warm-up \(0 ns\): nothing crosses it before then, and frames sent to it are refused/);
    expect(only(validateDesign(wifi({ durationNs: 5e9, warmupNs: 3.5e9 })), 'link-not-up')).toEqual([]);
    // Without the driver's waits the bus time alone (67 ms) is under a tenth of the run: no warning.
    expect(only(validateDesign(wifi({ durationNs: 1e9 }, { bootWaitNs: 0 })), 'link-not-up')).toEqual([]);
    expect(only(validateDesign(wifi({ durationNs: 0.5e9 }, { bootWaitNs: 0 })), 'link-not-up')).toHaveLength(1);
  });

  it('warns about a design without a kernel (a run would simulate nothing); an empty one is just not started', () => {
    const noKernel = new DesignBuilder().node('ikc', 'interKernelChannel', undefined).build();
    expect(only(validateDesign(noKernel), 'no-kernel')).toMatchObject([{ severity: 'warning', path: 'nodes' }]);
    expect(only(validateDesign(new DesignBuilder().build()), 'no-kernel')).toEqual([]);
    expect(only(validateDesign(pair('twoCopyChannel').build()), 'no-kernel')).toEqual([]);
  });
});

describe('loader', () => {
  it('reports schema problems with paths and plain words', () => {
    const r = loadDesignObject({ format: 'tock-ipc-studio/design', version: 1, name: '', nodes: [{ id: 'a b' }], edges: 'none', run: { durationNs: '1 fortnight', seed: 1.5 } });
    expect(r.ok).toBe(false);
    const paths = r.findings.map((f) => f.path);
    for (const p of ['name', 'nodes[0].id', 'nodes[0].kind', 'nodes[0].position', 'edges', 'run.durationNs', 'run.seed']) expect(paths).toContain(p);
    expect(r.findings.find((f) => f.path === 'nodes[0].kind')!.message).toMatch(/missing/);
  });

  it('refuses other formats and newer versions with a clear message', () => {
    expect(loadDesignObject([]).findings[0]!.message).toMatch(/JSON object, but this is a list/);
    expect(loadDesignObject({ format: 'x' }).findings[0]).toMatchObject({ path: 'format' });
    const newer = loadDesignObject({ format: 'tock-ipc-studio/design', version: 99 });
    expect(newer.findings[0]!.message).toMatch(/newer Tock IPC Studio/);
  });
});
