// The engine core's public surface: event queue, simulator loop, random streams, distributions, recorder
// contract, fingerprint, and the M/M/1 yardstick.
export * from './eventQueue';
export * from './rng';
export * from './distributions';
export * from './recorder';
export * from './fingerprint';
export * from './simulator';
export * from './mm1';
