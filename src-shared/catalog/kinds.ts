import { CHIPS } from './chips';
import { MPU_ARCHS } from './mpu';
import { E, M, MAX_DURATION_NS, MS, US, V, choice, flag, int, num, ref, text } from './params';
import type { KindDef, ParamDef, PortDef } from './types';

/** The ethernet tap's header before each received frame (ethernet_tap.rs rx_frame_header::LENGTH) [V]. */
export const TAP_HEADER_BYTES = 12;
/** A StreamingProcessSlice's own header (version u16, flags u16, write offset u32) before its data [V: streaming_process_slice.rs]. */
export const SLICE_HEADER_BYTES = 8;

// ---------------------------------------------------------------------------------------------------------
// Kernel
// ---------------------------------------------------------------------------------------------------------
const stm = CHIPS.stm32f429!.values;

/** Kernel parameters whose default follows the chip preset (see `chips.ts`). The `default` here is the
 * default chip's (STM32F429) value; `effectiveParams` resolves the preset of the node's chip. */
const kernelParams: ParamDef[] = [
  choice('chip', 'Chip', Object.values(CHIPS).map((c) => [c.id, c.label] as const), 'stm32f429', V('product.md catalog; tock-model §4–5'), 'The chip preset: sets clock, MPU/PMP architecture and cycle costs.'),
  num('clockHz', 'Clock', 'Hz', stm.clockHz!.value as number, 1e6, 1e9, stm.clockHz!.source, 'Core clock; converts the kernel\'s cycles into simulated time.'),
  choice('mpuArch', 'MPU / PMP', Object.values(MPU_ARCHS).map((a) => [a.id, a.label] as const), 'armv7m', stm.mpuArch!.source, 'Memory protection: number of regions and the alignment rule for shared buffers.'),
  choice('scheduler', 'Scheduler', [['roundRobin', 'Round robin'], ['mlfq', 'MLFQ (10/20/50 ms)'], ['priority', 'Priority'], ['cooperative', 'Cooperative']], 'roundRobin', V('tock-model §1: capsules/system/src/scheduler/'), 'How the kernel picks the next process.'),
  num('timesliceNs', 'Timeslice', 'ns', 10 * MS, 500 * US, 1000 * MS, V('tock-model §1: round robin 10 ms; minimum quantum 500 µs'), 'Round-robin timeslice (MLFQ uses 10/20/50 ms per level; priority and cooperative give none).', { visibleWhen: { key: 'scheduler', equals: 'roundRobin' } }),
  int('exceptionEntryCycles', 'Exception entry', 'cycles', 12, 0, 1000, stm.exceptionEntryCycles!.source, 'Hardware exception entry (interrupts).'),
  int('exceptionExitCycles', 'Exception exit', 'cycles', 10, 0, 1000, stm.exceptionExitCycles!.source, 'Hardware exception return.'),
  int('syscallCycles', 'Syscall round trip', 'cycles', 400, 1, 100_000, stm.syscallCycles!.source, 'A null command, same process, no MPU rewrite.'),
  int('mpuReprogramCycles', 'MPU reprogram', 'cycles', 40, 0, 10_000, stm.mpuReprogramCycles!.source, 'Rewriting the MPU on a switch to a different process (skipped when the process does not change).'),
  int('schedulerCycles', 'Scheduler decision', 'cycles', 200, 0, 100_000, stm.schedulerCycles!.source, 'Scheduler work on a context switch.'),
  int('upcallCycles', 'Upcall delivery', 'cycles', 640, 1, 100_000, stm.upcallCycles!.source, 'Push the upcall frame and resume the process.'),
  num('kernelCopyBytesPerCycle', 'Kernel copy rate', 'B/cycle', 0.33, 0.01, 64, stm.kernelCopyBytesPerCycle!.source, 'Byte-wise process-slice copy by the kernel.'),
  num('memcpyBytesPerCycle', 'memcpy rate', 'B/cycle', 1.5, 0.01, 64, stm.memcpyBytesPerCycle!.source, 'Optimised copy between the kernel\'s own buffers (copy_from_slice), e.g. the CYW43439 driver\'s frame copies. Copies into or out of a process\'s slices use the kernel copy rate.'),
  int('ipiCycles', 'Inter-processor interrupt', 'cycles', 212, 0, 100_000, stm.ipiCycles!.source, 'Signalling another core: exception entry + 200.'),
  int('upcallQueueEntries', 'Upcall queue', 'entries', 10, 1, 1024, V('tock-model §1: CALLBACK_LEN = 10'), 'Per-process upcall queue; when full the upcall is lost (NOMEM).'),
  int('legacyNotifyClientCycles', 'Legacy notify client→server', 'cycles', 19_300, 1, 10_000_000, M('tock-model §5: OpenTitan 10 MHz, 2021 (TockBenchmarking)'), 'One-way legacy IPC notify from a client to a service.'),
  int('legacyNotifyServiceCycles', 'Legacy notify server→client', 'cycles', 24_300, 1, 10_000_000, M('tock-model §5: OpenTitan 10 MHz, 2021 (TockBenchmarking)'), 'One-way legacy IPC notify from a service to a client.'),
  int('legacyDiscoverCycles', 'Legacy discover', 'cycles', 4_555, 1, 10_000_000, M('tock-model §5: OpenTitan 10 MHz, 2021 (TockBenchmarking)'), 'Synchronous legacy discover by package name.'),
];

const kernel: KindDef = {
  kind: 'kernel',
  category: 'kernel',
  label: 'Kernel',
  icon: 'K',
  description: 'One Tock kernel on one core. A container: processes, services, kernel-local mechanisms and peripherals live inside it.',
  container: true,
  placement: 'root',
  ports: [],
  params: kernelParams,
};

// ---------------------------------------------------------------------------------------------------------
// Processes and services
// ---------------------------------------------------------------------------------------------------------
const WORKLOADS = [
  ['none', 'None (only receives)'],
  ['periodic', 'Periodic with jitter'],
  ['poisson', 'Poisson'],
  ['burst', 'Burst'],
  ['requestResponse', 'Request/response client'],
  ['forward', 'Forward what it receives (requests it answers: to its device)'],
] as const;

function processParams(defaultWorkload: 'periodic' | 'none'): ParamDef[] {
  const timed = ['periodic', 'requestResponse'];
  return [
    int('priority', 'Priority', '', 8, 0, 31, E('designer\'s choice; 0 is the highest (priority scheduler)'), 'Used by the priority scheduler: 0 runs first; equal priorities run in the order the processes are listed (Tock ranks them by their place in the process array).'),
    int('ramBytes', 'RAM', 'B', 16_384, 1_024, 1_048_576, E('typical libtock-c app'), 'Process RAM (grants at its top).'),
    int('flashBytes', 'Flash', 'B', 65_536, 1_024, 4_194_304, E('typical libtock-c app'), 'Process flash.'),
    choice('workload', 'Workload', WORKLOADS, defaultWorkload, E('designer\'s choice'), 'What the process sends on each of its outgoing connections: each connection runs the workload on its own (its own timer, its own random stream).'),
    num('periodNs', 'Period / think time', 'ns', 10 * MS, 1 * US, MAX_DURATION_NS, E('designer\'s choice'), 'Periodic: time between messages. Request/response: think time after a reply.', { visibleWhen: { key: 'workload', equals: timed } }),
    num('jitterNs', 'Jitter', 'ns', 0, 0, MAX_DURATION_NS, E('designer\'s choice'), 'Uniform ± jitter added to each period.', { visibleWhen: { key: 'workload', equals: 'periodic' } }),
    num('ratePerSec', 'Rate', '/s', 100, 0.001, 10_000_000, E('designer\'s choice'), 'Mean message rate of a Poisson workload.', { visibleWhen: { key: 'workload', equals: 'poisson' } }),
    int('burstSize', 'Burst size', 'count', 8, 1, 100_000, E('designer\'s choice'), 'Messages sent back to back in each burst.', { visibleWhen: { key: 'workload', equals: 'burst' } }),
    num('burstPeriodNs', 'Burst period', 'ns', 100 * MS, 1 * US, MAX_DURATION_NS, E('designer\'s choice'), 'Time between bursts.', { visibleWhen: { key: 'workload', equals: 'burst' } }),
    int('payloadBytes', 'Payload', 'B', 64, 1, 65_536, E('designer\'s choice'), 'Bytes per message (request size for a request/response client).'),
    num('startNs', 'Start at', 'ns', 0, 0, MAX_DURATION_NS, E('designer\'s choice'), 'When the workload starts.'),
    int('messageLimit', 'Message limit', 'count', 0, 0, 1_000_000_000, E('designer\'s choice'), 'Stop after this many messages per connection (0: no limit).', { zeroMeans: 'no limit' }),
    num('timeoutNs', 'Userspace timeout', 'ns', 50 * MS, 0, MAX_DURATION_NS, E('designer\'s estimate; tock-model §3: Relay Request has no kernel timeout (userspace timeouts)'), 'A request/response client gives up after this long (0: waits forever).', { visibleWhen: { key: 'workload', equals: 'requestResponse' }, zeroMeans: 'waits forever' }),
    int('appCycles', 'App work per message', 'cycles', 1_000, 0, 100_000_000, E('designer\'s estimate'), 'Cycles the process spends preparing or handling each message.'),
    choice('restartPolicy', 'Restart policy', [['always', 'Always restart'], ['threshold', 'Restart up to a threshold'], ['never', 'Never restart']], 'always', V('kernel/src/process_policies.rs: restart policies'), 'What the kernel does when the process faults.'),
    int('restartThreshold', 'Restart threshold', 'count', 3, 1, 1_000_000, E('designer\'s choice'), 'Restarts allowed before the process stays stopped.', { visibleWhen: { key: 'restartPolicy', equals: 'threshold' } }),
    num('restartDelayNs', 'Restart delay', 'ns', 1 * MS, 0, MAX_DURATION_NS, E('designer\'s estimate'), 'Time from a crash to the new instance running.'),
  ];
}

const APP_IN: PortDef = { id: 'in', direction: 'in', accepts: ['deliver', 'device'], label: 'receive' };
const APP_OUT: PortDef = { id: 'out', direction: 'out', type: 'app', label: 'send' };

const process: KindDef = {
  kind: 'process',
  category: 'process',
  label: 'Process',
  icon: 'P',
  description: 'A Tock application: sends on its outgoing connections according to its workload and receives upcalls.',
  placement: 'kernel',
  ports: [APP_IN, APP_OUT],
  params: processParams('periodic'),
};

const service: KindDef = {
  kind: 'service',
  category: 'process',
  label: 'Service',
  icon: 'S',
  description: 'A process that serves requests (Relay Request, legacy IPC, channels) with a service-time distribution.',
  placement: 'kernel',
  ports: [{ id: 'in', direction: 'in', accepts: ['deliver', 'device', 'serve'], label: 'serve' }, APP_OUT],
  params: [
    ...processParams('none'),
    choice('serviceTimeDist', 'Service time', [['constant', 'Constant'], ['uniform', 'Uniform ± spread'], ['normal', 'Normal (sd = spread)'], ['exponential', 'Exponential']], 'constant', E('designer\'s choice'), 'Distribution of the time to serve one request.'),
    num('serviceTimeNs', 'Mean service time', 'ns', 50 * US, 0, MAX_DURATION_NS, E('designer\'s estimate'), 'Mean time to handle one request or message.'),
    num('serviceSpreadNs', 'Spread', 'ns', 0, 0, MAX_DURATION_NS, E('designer\'s choice'), 'Half-width (uniform) or standard deviation (normal).', { visibleWhen: { key: 'serviceTimeDist', equals: ['uniform', 'normal'] } }),
    int('responseBytes', 'Response size', 'B', 64, 0, 65_536, E('designer\'s choice'), 'Bytes of each response (Relay Request).'),
    text('allowlist', 'Allowlist', '', 1_000, V('tock-model §3: receiver-side allowlist'), 'Comma-separated process names allowed to send (empty: everyone).'),
  ],
};

// ---------------------------------------------------------------------------------------------------------
// IPC mechanisms
// ---------------------------------------------------------------------------------------------------------
const MECH_IN: PortDef = { id: 'in', direction: 'in', accepts: ['app'], label: 'senders' };
const MECH_OUT: PortDef = { id: 'out', direction: 'out', type: 'deliver', label: 'receivers' };
const SERVE_OUT: PortDef = { id: 'out', direction: 'out', type: 'serve', label: 'service', max: 1 };
const WHEN_FULL = [['reject', 'Reject new (error)'], ['dropOldest', 'Overwrite oldest']] as const;
const PLACEMENT = [['aligned', 'Aligned to the MPU rule'], ['unaligned', 'Packed (4-byte aligned)']] as const;

const legacyIpc: KindDef = {
  kind: 'legacyIpc',
  category: 'mechanism',
  label: 'Legacy share + notify',
  icon: 'L',
  description: 'kernel/src/ipc.rs: the client shares a read-write buffer, notify maps it into the service (0 copies, +1 MPU region in the service per buffer, never freed until restart).',
  placement: 'kernel',
  scope: 'kernelLocal',
  ports: [MECH_IN, SERVE_OUT],
  params: [
    int('bufferBytes', 'Shared buffer', 'B', 256, 4, 1_048_576, E('designer\'s choice'), 'Size of the buffer each client shares.'),
    choice('bufferPlacement', 'Buffer placement', PLACEMENT, 'aligned', E('designer\'s choice'), 'Aligned buffers waste memory by rounding; packed ones may fail to map (the upcall still fires and the service faults).'),
  ],
};

const notification: KindDef = {
  kind: 'notification',
  category: 'mechanism',
  label: 'Notification',
  icon: 'N',
  description: 'Command → upcall: up to 3 words, 0 copies, through the receiver\'s 10-entry upcall queue (full → dropped, NOMEM).',
  placement: 'kernel',
  scope: 'kernelLocal',
  ports: [MECH_IN, MECH_OUT],
  params: [int('payloadWords', 'Payload', 'words', 1, 0, 3, V('tock-model §8: ≤ 3 words'), 'Words carried by the upcall arguments.')],
};

const relayRequest: KindDef = {
  kind: 'relayRequest',
  category: 'mechanism',
  label: 'Relay Request (sync mailbox)',
  icon: 'RQ',
  description: 'Synchronous mailbox: 2 copies per transaction (request and response, min(src, dst) bytes each); 1 outstanding request per client; the service handles one at a time, round robin. After the service restarts, a client holding its old identifier gets NODEVICE once and looks it up again.',
  placement: 'kernel',
  scope: 'kernelLocal',
  ports: [MECH_IN, SERVE_OUT],
  params: [
    int('serverBufferBytes', 'Service RW buffer', 'B', 256, 1, 65_536, E('designer\'s choice'), 'The service\'s read-write allow; longer requests are truncated (SIZE).'),
    int('clientBufferBytes', 'Client RW buffer', 'B', 256, 1, 65_536, E('designer\'s choice'), 'Each client\'s read-write allow for the response; longer responses are truncated (SIZE).'),
  ],
};

const relayMessage: KindDef = {
  kind: 'relayMessage',
  category: 'mechanism',
  label: 'Relay Message (one-copy mailbox)',
  icon: 'RM',
  description: 'Asynchronous mailbox: 1 copy from the sender\'s allow into the receiver\'s streaming slice with a header; a full slice fails the send at once (`exceeded`).',
  placement: 'kernel',
  scope: 'kernelLocal',
  ports: [MECH_IN, MECH_OUT],
  params: [
    int('sliceBytes', 'Receiver slice', 'B', 1_024, 16, 1_048_576, E('designer\'s choice'), `The receiver's StreamingProcessSlice; its first ${SLICE_HEADER_BYTES} B are the slice's own header.`),
    int('headerBytes', 'Header', 'B', 12, 0, 64, E('tock-model §3: header (sender id u64, length u32)'), 'Header written before each message.'),
    flag('halt', 'Halt when exceeded', false, V('tock-model §3: full slice → `exceeded`; `halt` stops writes'), 'The receiver sets `halt` in its slice: once a message has not fitted (exceeded), no later one is written either until the receiver swaps in a fresh slice. Off: a later, smaller message may still fit.'),
  ],
};

const twoCopyChannel: KindDef = {
  kind: 'twoCopyChannel',
  category: 'mechanism',
  label: 'Two-copy channel',
  icon: '2C',
  description: 'Allow → kernel FIFO → allow: 2 copies; FIFO capacity from the grant or board; full → reject new (default).',
  placement: 'kernel',
  scope: 'kernelLocal',
  ports: [MECH_IN, MECH_OUT],
  params: [
    int('capacity', 'FIFO capacity', 'entries', 8, 0, 65_536, E('tock-model §8: capacity from grant/board'), 'Messages the kernel FIFO holds (0: unbounded, which Tock cannot do).', { zeroMeans: 'unbounded' }),
    int('maxMessageBytes', 'Max message', 'B', 256, 1, 65_536, E('designer\'s choice'), 'Longer messages are truncated.'),
    choice('whenFull', 'When full', WHEN_FULL, 'reject', V('tock-model §8: reject new (default)'), 'What a send into a full FIFO does.'),
  ],
};

const sharedMemory: KindDef = {
  kind: 'sharedMemory',
  category: 'mechanism',
  label: 'Shared memory',
  icon: 'SM',
  description: 'The service activates client chunks: 0 copies after setup, +1 MPU region per active chunk in the service; must be exclusive or read-only (TOCTOU).',
  placement: 'kernel',
  scope: 'kernelLocal',
  ports: [MECH_IN, MECH_OUT],
  params: [
    int('chunkBytes', 'Chunk size', 'B', 4_096, 4, 1_048_576, E('designer\'s choice'), 'Size of each client\'s chunk.'),
    choice('chunkPlacement', 'Chunk placement', PLACEMENT, 'aligned', E('designer\'s choice'), 'Aligned chunks waste memory by rounding; packed ones may not map.'),
    choice('access', 'Access', [['exclusive', 'Exclusive (one side at a time)'], ['readOnly', 'Read-only for the receiver'], ['writableBoth', 'Writable by both (TOCTOU)']], 'exclusive', V('2025-08-04 notes: exclusive or read-only memory'), 'Who may write the chunk while it is shared.'),
    flag('keepActive', 'Keep chunks active', true, E('designer\'s choice'), 'Keep each chunk mapped (holds a region) or activate per message (MPU rewrite each time).'),
    choice('onNoRegion', 'When no region is free', [['fallbackCopy', 'Fall back to a kernel copy'], ['fail', 'Fail the message']], 'fallbackCopy', V('tock-model §8: fall back to copying or fail (user\'s choice)'), 'What happens when the service has no MPU region left.'),
  ],
};

const interKernelChannel: KindDef = {
  kind: 'interKernelChannel',
  category: 'mechanism',
  label: 'Inter-kernel channel',
  icon: 'IK',
  description: 'Message passing between kernels on different cores: a lock-free ring (depth 2) + inter-processor interrupt; 2 copies by copy, 0 by reference (+1 MPU region in the receiver).',
  placement: 'root',
  scope: 'crossKernel',
  ports: [MECH_IN, MECH_OUT],
  params: [
    choice('mode', 'Mode', [['byCopy', 'By copy (2 copies)'], ['byReference', 'By reference (0 copies, +1 region)']], 'byCopy', V('tock-model §7'), 'How the payload crosses kernels.'),
    int('ringDepth', 'Ring depth', 'entries', 2, 1, 1_024, V('tock-model §7: PR #4110 ring with 2 entries'), 'Entries of the shared ring; full → the send fails.'),
    int('slotBytes', 'Slot size', 'B', 256, 4, 65_536, E('designer\'s choice'), 'Bytes per ring slot (by copy); longer messages are truncated.'),
    num('timeoutNs', 'Send timeout', 'ns', 10 * MS, 0, MAX_DURATION_NS, E('designer\'s estimate; tock-model §7: sends to a failed kernel time out'), 'A send not consumed within this long times out.'),
  ],
};

const registry: KindDef = {
  kind: 'registry',
  category: 'mechanism',
  label: 'Registry / manager',
  icon: 'RG',
  description: 'Discovery by package name or a fixed 20-byte name; asynchronous, completed by an upcall; every other app on the kernel gets a "new service registered" upcall; a restarted registrant registers again; IDs carry a generation that changes on restart.',
  placement: 'kernel',
  scope: 'kernelLocal',
  ports: [{ id: 'in', direction: 'in', accepts: ['app'], label: 'registrants' }],
  params: [
    choice('naming', 'Names', [['packageName', 'Package name'], ['fixedName', 'Fixed 20-byte name']], 'packageName', V('tock-model §3'), 'How services are named (described; not costed: a registration costs a command and an upcall either way).'),
    choice('idBits', 'Identifier', [['u64', '64-bit (ProcessId + ShortID)'], ['u32', '32-bit (wraps)']], 'u64', V('tock-model §3: PR #4777'), 'Width of process identifiers (described; generations are exact in the model, so 32-bit wrap-around is not simulated).'),
  ],
};

// ---------------------------------------------------------------------------------------------------------
// Use-case patterns (2025-08-04 notes), built on the mechanisms
// ---------------------------------------------------------------------------------------------------------
const latestValue: KindDef = {
  kind: 'latestValue',
  category: 'pattern',
  label: 'Latest value',
  icon: 'LV',
  description: 'Value IDs fixed at board build; 8–16 B + timestamp; publishing overwrites; broadcast to all readers (a ring of length 1).',
  placement: 'kernel',
  scope: 'kernelLocal',
  ports: [MECH_IN, MECH_OUT],
  params: [
    int('valueIds', 'Value IDs', 'count', 8, 1, 4_096, E('designer\'s choice; 2025-08-04 notes: value IDs fixed at board build'), 'Number of values the capsule holds (one slot each).'),
    int('valueBytes', 'Value size', 'B', 8, 1, 64, V('2025-08-04 notes: usually 8 or 16 B'), 'Bytes per value.'),
    int('timestampBytes', 'Timestamp', 'B', 8, 0, 16, E('designer\'s choice'), 'Timestamp stored with each value.'),
    choice('delivery', 'Delivery', [['pushToAll', 'Copy into every reader\'s allow + upcall'], ['readOnDemand', 'Readers poll with a command']], 'pushToAll', E('designer\'s choice; 2025-08-04 notes: both designs discussed'), 'How readers get the value.'),
    num('readPeriodNs', 'Read period', 'ns', 10 * MS, 1 * US, MAX_DURATION_NS, E('designer\'s choice'), 'How often readers poll.', { visibleWhen: { key: 'delivery', equals: 'readOnDemand' } }),
  ],
};

const eventCounter: KindDef = {
  kind: 'eventCounter',
  category: 'pattern',
  label: 'Event counter',
  icon: 'EC',
  description: 'The producer increments; readers read-and-reset (atomic swap to 0) or read continuously and take differences.',
  placement: 'kernel',
  scope: 'kernelLocal',
  ports: [MECH_IN, MECH_OUT],
  params: [
    choice('mode', 'Mode', [['readAndReset', 'Read and reset'], ['continuous', 'Continuous (reader differences)']], 'readAndReset', V('2025-08-04 notes'), 'What a read does to the counter.'),
    num('readPeriodNs', 'Read period', 'ns', 10 * MS, 1 * US, MAX_DURATION_NS, E('designer\'s choice'), 'How often readers read the counter.'),
    int('counterBytes', 'Counter size', 'B', 4, 1, 8, E('designer\'s choice'), 'Width of the counter.'),
  ],
};

const numericFifo: KindDef = {
  kind: 'numericFifo',
  category: 'pattern',
  label: 'Numeric FIFO',
  icon: 'NF',
  description: 'Queued numeric messages: strict FIFO, capacity ≥ 1, in order; full → reject new with an error (default); unicast or broadcast.',
  placement: 'kernel',
  scope: 'kernelLocal',
  ports: [MECH_IN, MECH_OUT],
  params: [
    int('capacity', 'Capacity', 'entries', 16, 0, 65_536, E('designer\'s choice'), 'Entries (0: unbounded).', { zeroMeans: 'unbounded' }),
    int('valueBytes', 'Value size', 'B', 4, 1, 16, E('designer\'s choice'), 'Bytes per number.'),
    choice('whenFull', 'When full', WHEN_FULL, 'reject', V('tock-model §8 patterns: queued numeric messages, full → reject new with an error (default)'), 'What a send into a full FIFO does.'),
    choice('cast', 'Delivery', [['unicast', 'Unicast (one reader takes each)'], ['broadcast', 'Broadcast (every reader)']], 'unicast', V('2025-08-04 notes: unicast or broadcast'), 'Who receives each value.'),
  ],
};

const packetFifo: KindDef = {
  kind: 'packetFifo',
  category: 'pattern',
  label: 'Packet FIFO',
  icon: 'PF',
  description: 'Queued byte buffers / packets: a variable-length FIFO (TCP needs it); full → reject new.',
  placement: 'kernel',
  scope: 'kernelLocal',
  ports: [MECH_IN, MECH_OUT],
  params: [
    int('capacityBytes', 'Capacity', 'B', 8_192, 0, 16_777_216, E('designer\'s choice'), 'Bytes the FIFO holds (0: unbounded).', { zeroMeans: 'unbounded' }),
    int('maxPacketBytes', 'Max packet', 'B', 1_518, 1, 65_536, V('tock-model §6: Ethernet MTU 1,518 B'), 'Longer packets are rejected.'),
    choice('whenFull', 'When full', WHEN_FULL, 'reject', E('designer\'s choice; tock-model §8 patterns: a FIFO (TCP needs it), so the default does not overwrite'), 'What a send into a full FIFO does.'),
  ],
};

const ringBuffer: KindDef = {
  kind: 'ringBuffer',
  category: 'pattern',
  label: 'Ring buffer',
  icon: 'RB',
  description: 'Overwrites the oldest entry when full (UDP can live with it); numbers or buffers.',
  placement: 'kernel',
  scope: 'kernelLocal',
  ports: [MECH_IN, MECH_OUT],
  params: [
    int('capacity', 'Capacity', 'entries', 16, 1, 65_536, E('designer\'s choice'), 'Entries in the ring.'),
    int('entryBytes', 'Entry size', 'B', 64, 1, 65_536, E('designer\'s choice'), 'Bytes per entry; longer messages are truncated.'),
  ],
};

// ---------------------------------------------------------------------------------------------------------
// Peripherals
// ---------------------------------------------------------------------------------------------------------
const DEV_TX: PortDef = { id: 'tx', direction: 'in', accepts: ['app'], label: 'transmit' };
const DEV_RX: PortDef = { id: 'rx', direction: 'out', type: 'device', label: 'receive' };

function rxTraffic(rate: number, bytes: number, maxBytes: number): ParamDef[] {
  return [
    choice('rxWorkload', 'Inbound traffic', [['none', 'None'], ['periodic', 'Periodic'], ['poisson', 'Poisson']], 'poisson', E('designer\'s choice'), 'Frames arriving from the outside world.'),
    num('rxRatePerSec', 'Inbound rate', '/s', rate, 0.001, 1_000_000, E('designer\'s choice'), 'Mean inbound frames per second.', { visibleWhen: { key: 'rxWorkload', equals: ['periodic', 'poisson'] } }),
    int('rxPayloadBytes', 'Inbound frame', 'B', bytes, 1, maxBytes, E('designer\'s choice'), 'Bytes per inbound frame.', { visibleWhen: { key: 'rxWorkload', equals: ['periodic', 'poisson'] } }),
  ];
}


/** The buffer each app subscribed to the ethernet tap allows for received frames (capsules/extra/src/ethernet_tap.rs). */
const tapRxSlice = int(
  'rxSliceBytes',
  'App RX slice',
  'B',
  4_096,
  64,
  1_048_576,
  E('designer\'s choice; ethernet_tap.rs appends each frame with its 12-byte header to the app\'s StreamingProcessSlice (8-byte slice header) and drops one that does not fit'),
  'The StreamingProcessSlice each subscribed app allows for received frames (8 B of it are the slice header). Frames pile up in it until the app\'s upcall swaps it for a fresh one; a frame that does not fit is dropped for that app (exceeded).',
  { visibleWhen: { key: 'rxWorkload', equals: ['periodic', 'poisson'] } },
);
const tapRxHalt = flag(
  'rxSliceHalt',
  'Halt when exceeded',
  false,
  V('streaming_process_slice.rs: with `halt` and `exceeded` both set the kernel writes nothing more to the slice'),
  'The apps set `halt` in their RX slices: once a frame has not fitted, no later one is written either (nor partly copied) until the app swaps in a fresh slice. Off: a later frame may still fit.',
  { visibleWhen: { key: 'rxWorkload', equals: ['periodic', 'poisson'] } },
);

const CYW = 'tock-model §6: CYW43439 (capsules/extra/src/cyw4343, embassy cyw43)';
const cyw43439: KindDef = {
  kind: 'cyw43439',
  category: 'peripheral',
  label: 'CYW43439 WiFi',
  icon: 'Wi',
  description: 'Pico W WiFi over gSPI (half-duplex over PIO) or SDIO 4-bit: command + status words per transaction, F2 packets ≤ 2,048 B, SDPCM/CDC/BDC headers, credit-based flow control; at boot the driver\'s waits (~3.2 s), the firmware download and the init and join IOCTLs. The driver copies each TX frame twice (into its buffer, then behind the bus command word) and each RX frame once (out of the bus buffer). Apps go through the ethernet tap: TX ≤ 1,518 B, one frame pending per app (BUSY), the others queued for the one-frame driver buffer; RX appended with a 12-byte header to every subscribed app\'s RX slice (dropped for an app whose slice is full).',
  placement: 'kernel',
  ports: [DEV_TX, DEV_RX],
  params: [
    choice('bus', 'Bus', [['gspi', 'gSPI over PIO (half duplex)'], ['sdio', 'SDIO 4-bit']], 'gspi', V(CYW), 'Host bus to the chip.'),
    num('gspiClockHz', 'gSPI clock', 'Hz', 31.25e6, 1e6, 50e6, E('tock-model §6: Tock PIO 62.5 MHz → ~31.25 MHz SPI; vendor max 50 MHz'), 'Bit clock of the half-duplex SPI.', { visibleWhen: { key: 'bus', equals: 'gspi' } }),
    num('sdioClockHz', 'SDIO clock', 'Hz', 50e6, 1e6, 50e6, V('tock-model §6: SDIO 4-bit at 50 MHz'), 'SDIO clock (4 bits per clock).', { visibleWhen: { key: 'bus', equals: 'sdio' } }),
    int('maxF2Bytes', 'Max F2 transaction', 'B', 2_048, 64, 2_048, V(`${CYW}: F2 at most 2,048 B per transaction`), 'Largest WLAN packet transaction.'),
    int('busWordBytes', 'Command / status word', 'B', 4, 0, 16, V(`${CYW}: 4-byte command word and a status word`), 'Bytes of the command word and of the status word added to each transaction.'),
    int('sdpcmHeaderBytes', 'SDPCM header', 'B', 12, 0, 64, V(CYW), 'SDPCM header on every frame.'),
    int('cdcHeaderBytes', 'CDC header', 'B', 16, 0, 64, V(CYW), 'CDC header of IOCTLs (channel 0).'),
    int('bdcHeaderBytes', 'BDC header', 'B', 6, 0, 64, V(CYW), 'BDC header of data frames (channel 2).'),
    int('bdcPaddingBytes', 'BDC padding', 'B', 2, 0, 16, V(`${CYW}: BDC_PADDING_SIZE 2 between the SDPCM and BDC headers`), 'Padding between the SDPCM header and the BDC header of data frames.'),
    int('firmwareBytes', 'Firmware blob', 'B', 231_077, 0, 4_194_304, V(`${CYW}: firmware 231,077 B`), 'Downloaded over F1 at boot.'),
    int('clmBytes', 'CLM blob', 'B', 984, 0, 65_536, V(`${CYW}: CLM 984 B`), 'Downloaded at boot as "clmload" IOCTLs of up to 1,024 B each.'),
    int('nvramBytes', 'NVRAM', 'B', 742, 0, 65_536, V(`${CYW}: NVRAM 742 B`), 'Downloaded at boot.'),
    int('f1ChunkBytes', 'F1 chunk', 'B', 64, 4, 2_048, V(`${CYW}: firmware download in 64-byte chunks`), 'Backplane download chunk.'),
    int('bootIoctls', 'Boot IOCTLs', 'count', 23, 0, 1_000, V(`${CYW}: driver.rs init list (12 IOCTLs besides the CLM) + WPA2 join list (11)`), 'IOCTL request/response pairs on channel 0 before the link is up (the CLM download is counted apart).'),
    num('bootWaitNs', 'Driver waits at boot', 'ns', 3_216 * MS, 0, 60_000 * MS, V(`${CYW}: the driver's fixed alarms: power off 20 ms and on 250 ms, core disable/reset 6 ms, wakeup 30 ms, init list 2,000 + 8 × 100 ms, WPA2 join 110 ms`), 'Time the driver waits on its alarms between boot steps before the link is up. Association with the access point (the firmware\'s SET_SSID event) is not included. 0: bus time only.'),
    int('txCredits', 'TX credits', 'count', 8, 1, 255, E('firmware-granted window; tock-model §6: credit-based flow control'), 'Frames the host may send before the chip returns credit.'),
    num('airRateBps', 'Air link rate', 'bit/s', 10e6, 1e5, 72.2e6, M('tock-model §6: ~10 Mbit/s iperf on Pico W (secondary); PHY max 72.2 Mbit/s'), 'Effective WiFi rate on the air side.'),
    ...rxTraffic(100, 512, 2_048),
    tapRxSlice,
    tapRxHalt,
  ],
};

const ETH = 'tock-model §6: STM32F429 Ethernet MAC (PR #4524, ethernet_tap.rs)';
const stm32Ethernet: KindDef = {
  kind: 'stm32Ethernet',
  category: 'peripheral',
  label: 'STM32 Ethernet MAC',
  icon: 'Et',
  description: 'RMII 10/100 Mbit/s; one TX and one RX DMA descriptor (one frame in flight per direction); the tap capsule holds one frame per app (a second before it is sent gets BUSY) and queues the others\' until the descriptor is free, copies TX once, and RX once into every subscribed app\'s RX slice, with a 12-byte header (dropped for an app whose slice is full).',
  placement: 'kernel',
  ports: [DEV_TX, DEV_RX],
  params: [
    choice('linkSpeed', 'Link speed', [['100M', '100 Mbit/s'], ['10M', '10 Mbit/s']], '100M', V(`${ETH}: RMII, 100 Mbit/s`), 'Wire rate.'),
    int('mtuBytes', 'MTU', 'B', 1_518, 64, 8_191, V(`${ETH}: MTU 1,518 B, buffer ≤ 8,191 B`), 'Largest frame.'),
    int('preambleBytes', 'Preamble + SFD', 'B', 8, 0, 64, E('tock-model §6: wire time with preamble and gap (arithmetic)'), 'Added to each frame on the wire.'),
    int('ifgBytes', 'Inter-frame gap', 'B', 12, 0, 64, E('tock-model §6: wire time with preamble and gap (arithmetic)'), 'Idle time after each frame, in byte times.'),
    int('txDescriptors', 'TX descriptors', 'count', 1, 1, 64, V(`${ETH}: one TX DMA descriptor`), 'Frames in flight on transmit.'),
    int('rxDescriptors', 'RX descriptors', 'count', 1, 1, 64, V(`${ETH}: one RX DMA descriptor`), 'Frames the MAC can hold on receive.'),
    int('tapHeaderBytes', 'Tap header', 'B', 12, 0, 64, V(`${ETH}: 12-byte header per RX copy`), 'Header the tap capsule writes before each frame.'),
    ...rxTraffic(1_000, 1_518, 8_191),
    tapRxSlice,
    tapRxHalt,
  ],
};

const VIO = 'tock-model §6: VirtIO on qemu_rv32_virt (chips/virtio)';
const notifyCost = num('notifyCostNs', 'QueueNotify cost', 'ns', 20 * US, 0, 100 * MS, E('designer\'s estimate of a QEMU exit; tock-model §6: the MMIO write is the handshake'), 'Cost of the QueueNotify MMIO write (a QEMU exit).');
const deviceNs = num('deviceLatencyNs', 'Device latency', 'ns', 10 * US, 0, 100 * MS, E('designer\'s estimate; QEMU is not cycle accurate'), 'Time from the notify to the used ring being filled.');

const virtioNet: KindDef = {
  kind: 'virtioNet',
  category: 'peripheral',
  label: 'VirtIO net',
  icon: 'Vn',
  description: 'Split virtqueues (TX 2, RX 2; 12-byte virtio-net header + frame in a 2-descriptor chain); QueueNotify is the handshake, data moves through shared memory; the driver copies nothing. Under the ethernet tap capsule (as on qemu_rv32_virt): one frame pending per app, 1,518-byte MTU, RX appended with a 12-byte header to every subscribed app\'s RX slice (dropped for an app whose slice is full). An inbound frame with no RX buffer posted waits in QEMU\'s net queue.',
  placement: 'kernel',
  ports: [DEV_TX, DEV_RX],
  params: [
    int('txQueueSize', 'TX queue', 'entries', 2, 1, 1_024, V(`${VIO}: net TX 2`), 'Descriptors of the transmit queue.'),
    int('rxQueueSize', 'RX queue', 'entries', 2, 1, 1_024, V(`${VIO}: net RX 2`), 'Descriptors of the receive queue.'),
    int('hostQueueFrames', 'Host queue', 'count', 10_000, 0, 1_000_000, V('QEMU net/queue.c: nq_maxlen 10,000; virtio_net_handle_rx flushes the queue when the driver posts a buffer'), 'Inbound frames QEMU holds while the driver has no RX buffer posted; when it is full, a further frame is dropped (0: drop at once).'),
    int('netHeaderBytes', 'virtio-net header', 'B', 12, 0, 64, V(`${VIO}: 12-byte virtio-net header`), 'Header before each frame, in its own descriptor of the chain (hence two descriptors per frame). Shown for reference: the capsule writes it, so it adds no copy and no time in the model.'),
    notifyCost,
    deviceNs,
    ...rxTraffic(1_000, 1_514, 65_536),
    tapRxSlice,
    tapRxHalt,
  ],
};

const virtioGpu: KindDef = {
  kind: 'virtioGpu',
  category: 'peripheral',
  label: 'VirtIO GPU',
  icon: 'Vg',
  description: 'A control virtqueue of 2 entries: draw commands from an app, QueueNotify to the device, completion by interrupt.',
  placement: 'kernel',
  ports: [DEV_TX],
  params: [
    int('queueSize', 'Control queue', 'entries', 2, 1, 1_024, V(`${VIO}: gpu 2`), 'Descriptors of the control queue.'),
    notifyCost,
    deviceNs,
  ],
};

const virtioInput: KindDef = {
  kind: 'virtioInput',
  category: 'peripheral',
  label: 'VirtIO input',
  icon: 'Vi',
  description: 'Event queue of 3 (status 1): input events delivered to a subscribed app.',
  placement: 'kernel',
  ports: [DEV_RX],
  params: [
    int('eventQueueSize', 'Event queue', 'entries', 3, 1, 1_024, V(`${VIO}: input 3 (status 1)`), 'Descriptors of the event queue.'),
    num('eventRatePerSec', 'Event rate', '/s', 50, 0.001, 100_000, E('designer\'s choice (keyboard/mouse)'), 'Mean input events per second.'),
    int('eventBytes', 'Event size', 'B', 8, 1, 64, E('virtio_input_event: type u16, code u16, value u32 (VirtIO spec; not in tock-model.md)'), 'Bytes per event.'),
    deviceNs,
  ],
};

const virtioRng: KindDef = {
  kind: 'virtioRng',
  category: 'peripheral',
  label: 'VirtIO RNG',
  icon: 'Vr',
  description: 'Entropy device with a queue of 1: an app requests bytes, the device fills the buffer.',
  placement: 'kernel',
  ports: [DEV_TX, DEV_RX],
  params: [
    int('queueSize', 'Queue', 'entries', 1, 1, 1_024, V(`${VIO}: rng 1`), 'Descriptors of the request queue.'),
    notifyCost,
    deviceNs,
  ],
};

const canSource: KindDef = {
  kind: 'canSource',
  category: 'peripheral',
  label: 'CAN signal source',
  icon: 'CAN',
  description: 'Periodic CAN frames carrying value IDs (automotive signals), delivered to the gateway app.',
  placement: 'kernel',
  // Its only port sends the bus's frames to the gateway app ("receive" would read as an input).
  ports: [{ ...DEV_RX, label: 'frames' }],
  params: [
    num('periodNs', 'Frame period', 'ns', 10 * MS, 1 * US, MAX_DURATION_NS, E('designer\'s choice (typical automotive 10 ms signals)'), 'Time between frames of each value ID.'),
    num('jitterNs', 'Jitter', 'ns', 0, 0, MAX_DURATION_NS, E('designer\'s choice'), 'Uniform ± jitter per frame.'),
    int('valueIds', 'Value IDs', 'count', 8, 1, 2_048, E('designer\'s choice; 2025-08-04 notes: several value IDs per server'), 'Distinct signals, sent round robin.'),
    int('frameBytes', 'Frame payload', 'B', 8, 1, 64, V('2025-08-04 notes: usually 8 or 16 B'), 'Payload bytes (8 classic CAN, up to 64 CAN FD).'),
    num('bitrateBps', 'Bus bitrate', 'bit/s', 500e3, 10e3, 8e6, E('designer\'s choice (500 kbit/s high-speed CAN)'), 'CAN bus bitrate (sets the frame time).'),
  ],
};

// ---------------------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------------------
const atTime = choice('trigger', 'Trigger', [['atTime', 'At a time'], ['atRate', 'At a rate (Poisson)']], 'atTime', E('designer\'s choice'), 'When the fault strikes.');
const atNs = num('atNs', 'At', 'ns', 500 * MS, 0, MAX_DURATION_NS, E('designer\'s choice'), 'Simulated time of the fault.', { visibleWhen: { key: 'trigger', equals: 'atTime' } });
const rate = num('ratePerSec', 'Rate', '/s', 1, 0.0001, 10_000, E('designer\'s choice'), 'Mean faults per second.', { visibleWhen: { key: 'trigger', equals: 'atRate' } });

const processCrash: KindDef = {
  kind: 'processCrash',
  category: 'fault',
  label: 'Process crash',
  icon: '✕P',
  description: 'The process faults: grants dropped, shares vanish, MPU reset, new identifier and generation; restarted per its policy.',
  placement: 'either',
  ports: [],
  params: [ref('targetId', 'Process', ['process', 'service'], 'The process or service that crashes.'), atTime, atNs, rate],
};

const kernelFailure: KindDef = {
  kind: 'kernelFailure',
  category: 'fault',
  label: 'Kernel failure',
  icon: '✕K',
  description: 'The whole kernel stops: its processes stop, sends to it time out, the other kernels go on (no fate-sharing).',
  placement: 'either',
  ports: [],
  params: [ref('targetId', 'Kernel', ['kernel'], 'The kernel that fails.'), atTime, atNs, rate],
};

const linkDown: KindDef = {
  kind: 'linkDown',
  category: 'fault',
  label: 'Link down',
  icon: '✕L',
  description: 'A peripheral link or inter-kernel channel goes down for a while, then comes back.',
  placement: 'either',
  ports: [],
  params: [
    ref('targetId', 'Link', ['peripheral', 'interKernelChannel'], 'The peripheral or inter-kernel channel that goes down.'),
    atTime,
    atNs,
    rate,
    num('downForNs', 'Down for', 'ns', 100 * MS, 0, MAX_DURATION_NS, E('designer\'s choice'), 'How long the link stays down (0: until the end).', { zeroMeans: 'until the end' }),
  ],
};

/** Every kind, in palette order. */
export const KINDS: readonly KindDef[] = [
  kernel,
  process,
  service,
  legacyIpc,
  notification,
  relayRequest,
  relayMessage,
  twoCopyChannel,
  sharedMemory,
  interKernelChannel,
  registry,
  latestValue,
  eventCounter,
  numericFifo,
  packetFifo,
  ringBuffer,
  cyw43439,
  stm32Ethernet,
  virtioNet,
  virtioGpu,
  virtioInput,
  virtioRng,
  canSource,
  processCrash,
  kernelFailure,
  linkDown,
];
