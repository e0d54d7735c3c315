import type { Design } from '../src-shared/model';

/** 8 producers → one two-copy channel → one service on an STM32F429 kernel; `perProducer` messages each. */
export function eightProducers(perProducer: number): Design {
  const nodes: Design['nodes'] = [
    { id: 'k', kind: 'kernel', name: 'STM32F429', position: { x: 0, y: 0 }, params: { chip: 'stm32f429' } },
    { id: 'ch', kind: 'twoCopyChannel', name: 'channel', parent: 'k', position: { x: 0, y: 0 }, params: { capacity: 16 } },
    { id: 'svc', kind: 'service', name: 'service', parent: 'k', position: { x: 0, y: 0 }, params: { serviceTimeNs: 5_000 } },
  ];
  const edges: Design['edges'] = [{ id: 'e0', source: 'ch', sourceHandle: 'out', target: 'svc', targetHandle: 'in', params: {} }];
  for (let i = 0; i < 8; i++) {
    nodes.push({ id: `p${i}`, kind: 'process', name: `producer ${i}`, parent: 'k', position: { x: 0, y: 0 }, params: { periodNs: 2_000_000, jitterNs: 100_000, startNs: i * 250_000, messageLimit: perProducer, payloadBytes: 64 } });
    edges.push({ id: `e${i + 1}`, source: `p${i}`, sourceHandle: 'out', target: 'ch', targetHandle: 'in', params: {} });
  }
  return { format: 'tock-ipc-studio/design', version: 1, name: '8 producers → two-copy channel → service', nodes, edges, run: { durationNs: 1e12, seed: 1, warmupNs: 0 } };
}

