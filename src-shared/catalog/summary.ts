import { CHIPS, effectiveParams, getKind, getParamDef, type KindDef, type ParamValue } from './index';
import type { DesignNode } from '../model';
import { formatDuration } from '../util/units';
import { displayValue, formatBytesExact } from './paramField';

type Eff = Record<string, ParamValue>;
const bytes = (v: ParamValue | undefined): string => formatBytesExact(Number(v));
const dur = (v: ParamValue | undefined): string => formatDuration(Number(v));
const rate = (v: ParamValue | undefined): string => `${Number(v).toLocaleString('en-US', { maximumFractionDigits: 3 })}/s`;
const full = (e: Eff, k: string): string => (e[k] === 'reject' ? 'reject new' : 'overwrite oldest');
const rx = (e: Eff): string => (e.rxWorkload === 'none' ? 'no inbound traffic' : `rx ${rate(e.rxRatePerSec)} · ${bytes(e.rxPayloadBytes)}`);

/** What each kind's card says in one line (its key parameters). */
const SUMMARIES: Readonly<Record<string, (e: Eff) => string>> = {
  legacyIpc: (e) => `${bytes(e.bufferBytes)} buffer · ${e.bufferPlacement === 'aligned' ? 'aligned' : 'packed'}`,
  notification: (e) => `${e.payloadWords} word${e.payloadWords === 1 ? '' : 's'} · 0 copies`,
  relayRequest: (e) => `buffers ${bytes(e.serverBufferBytes)} / ${bytes(e.clientBufferBytes)}`,
  relayMessage: (e) => `slice ${bytes(e.sliceBytes)}${e.halt === true ? ' (halt)' : ''} · 1 copy`,
  twoCopyChannel: (e) => `${e.capacity === 0 ? 'unbounded' : `${e.capacity} entries`} · ${full(e, 'whenFull')}`,
  sharedMemory: (e) => `${bytes(e.chunkBytes)} · ${e.access === 'writableBoth' ? 'writable both' : e.access === 'readOnly' ? 'read-only' : 'exclusive'}`,
  interKernelChannel: (e) => `${e.mode === 'byCopy' ? 'by copy' : 'by reference'} · ring ${e.ringDepth}`,
  registry: (e) => (e.naming === 'fixedName' ? '20-byte names' : 'package names'),
  latestValue: (e) => `${e.valueIds} IDs × ${bytes(e.valueBytes)}`,
  eventCounter: (e) => `${e.mode === 'continuous' ? 'continuous' : 'read & reset'} · ${dur(e.readPeriodNs)}`,
  numericFifo: (e) => `${e.capacity === 0 ? 'unbounded' : `${e.capacity} ×`} ${bytes(e.valueBytes)} · ${e.cast}`,
  packetFifo: (e) => `${e.capacityBytes === 0 ? 'unbounded' : bytes(e.capacityBytes)} · ${full(e, 'whenFull')}`,
  ringBuffer: (e) => `${e.capacity} × ${bytes(e.entryBytes)}`,
  cyw43439: (e) => `${e.bus === 'sdio' ? 'SDIO' : 'gSPI'} · ${rx(e)}`,
  stm32Ethernet: (e) => `${e.linkSpeed === '10M' ? '10' : '100'} Mbit/s · ${rx(e)}`,
  virtioNet: (e) => rx(e),
  virtioGpu: (e) => `queue ${e.queueSize} · ${dur(e.deviceLatencyNs)}`,
  virtioInput: (e) => `${rate(e.eventRatePerSec)} events`,
  virtioRng: (e) => `queue ${e.queueSize} · ${dur(e.deviceLatencyNs)}`,
  canSource: (e) => `${e.valueIds} IDs · every ${dur(e.periodNs)}`,
};

const short = (s: string): string => s.replace(/\s*\(.*\)$/, '');

/**
 * One line summing a node up for its card: the workload of a process, the key sizes of a mechanism, the
 * target and time of a fault, the chip of a kernel. `names` resolves fault targets to names.
 */
export function nodeSummary(node: DesignNode, names: (id: string) => string | undefined = () => undefined): string {
  const kind = getKind(node.kind);
  if (!kind) return node.kind;
  const eff = effectiveParams(kind, node.params);
  const d = (k: string): string => formatDuration(Number(eff[k]));
  if (kind.kind === 'kernel') {
    const chip = CHIPS[String(eff.chip)];
    const hz = Number(eff.clockHz);
    const sched = getParamDef(kind, 'scheduler');
    return [chip ? short(chip.label) : String(eff.chip), `${Number((hz / 1e6).toPrecision(4))} MHz`, sched ? short(displayValue(sched, eff.scheduler)) : ''].filter(Boolean).join(' · ');
  }
  if (kind.category === 'process') {
    const payload = bytes(eff.payloadBytes);
    let line: string;
    switch (eff.workload) {
      case 'periodic':
        line = `every ${d('periodNs')} · ${payload}`;
        break;
      case 'poisson':
        line = `${eff.ratePerSec}/s Poisson · ${payload}`;
        break;
      case 'burst':
        line = `${eff.burstSize}× ${payload} / ${d('burstPeriodNs')}`;
        break;
      case 'requestResponse':
        line = `request ${payload} / ${d('periodNs')}`;
        break;
      case 'forward':
        line = 'forwards';
        break;
      default:
        line = 'receives only';
    }
    if (kind.kind !== 'service') return line;
    return eff.workload === 'none' ? `serves in ${d('serviceTimeNs')}` : `serves ${d('serviceTimeNs')} · ${line}`;
  }
  if (kind.category === 'fault') {
    const target = String(eff.targetId ?? '');
    const who = target ? (names(target) ?? target) : 'no target';
    const when = eff.trigger === 'atRate' ? `${eff.ratePerSec}/s` : `at ${d('atNs')}`;
    return `${who} · ${when}`;
  }
  const f = SUMMARIES[kind.kind];
  if (f) return f(eff);
  const first = kind.params[0];
  return first ? `${first.label}: ${displayValue(first, eff[first.key])}` : kind.label;
}

/** A kind's label without its parenthesis (`Relay Message (one-copy mailbox)` → `Relay Message`). */
export function shortKindLabel(kind: KindDef): string {
  return short(kind.label);
}

/**
 * The kind that carries a connection between `source` and `target`: the end that is not a process (a mechanism,
 * pattern or peripheral), or undefined between two processes. Its short label is the connection's label on the
 * canvas and in exported diagrams.
 */
export function connectionCarrier(source: DesignNode | undefined, target: DesignNode | undefined): KindDef | undefined {
  const sk = source ? getKind(source.kind) : undefined;
  const tk = target ? getKind(target.kind) : undefined;
  return sk && sk.category !== 'process' ? sk : tk && tk.category !== 'process' ? tk : undefined;
}
