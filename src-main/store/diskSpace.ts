// Free space where a run database lives, and the check a recorded run makes against it before it starts: a run
// that fills the disk fails cleanly, but only after filling it (and everything else on that disk with it).

import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Design } from '../../src-shared/model';
import { estimateRecording, type RecordEstimate } from '../../src-shared/model/recordEstimate';
import { formatBytes } from '../../src-shared/util/units';

/** Above this estimate a run that fits is still announced (the command line prints its expected size). */
export const LARGE_RECORD_BYTES = 1024 ** 3;

/**
 * Bytes available to this user on the file system that holds `file`, or would hold it (its nearest existing folder:
 * the default database's folder is created on first use). Null when the platform cannot tell.
 */
export function freeBytesFor(file: string): number | null {
  let dir = dirname(resolve(file));
  for (;;) {
    try {
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const up = dirname(dir);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || up === dir) return null;
      dir = up;
    }
  }
}

/** A run's estimated recording against the free space of its database's file system. */
export interface SpaceCheck {
  estimate: RecordEstimate;
  /** Bytes free there (null: unknown, and then the run is taken to fit). */
  freeBytes: number | null;
  /** False when the estimate exceeds the free space. */
  fits: boolean;
}

/** Estimates what a run of `design` will record into `dbPath` and compares it with the free space (`free` injectable for tests). */
export function checkRecordSpace(design: Design, run: { durationNs: number; warmupNs: number }, dbPath: string, free: (file: string) => number | null = freeBytesFor): SpaceCheck {
  const estimate = estimateRecording(design, run);
  const freeBytes = free(dbPath);
  return { estimate, freeBytes, fits: freeBytes === null || estimate.bytes <= freeBytes };
}

/** "about 21,732,152 messages, an estimated 1.459 GiB" (the CPU-bound caveat when the figure is one). */
export function describeEstimate(c: SpaceCheck): string {
  const e = c.estimate;
  const bound = e.cpuBound.length > 0 ? ` (a coarse bound: ${e.cpuBound.slice(0, 3).map((n) => `"${n}"`).join(', ')}${e.cpuBound.length > 3 ? ' and others' : ''} would send as fast as their CPU allows)` : '';
  return `about ${e.messages.toLocaleString('en-US')} messages, an estimated ${formatBytes(e.bytes)}${bound}`;
}

/** The sentence refusing a run that does not fit: the database, the estimate, the free space. */
export function notEnoughSpace(c: SpaceCheck, dbPath: string): string {
  return `not enough free space to record this run in ${dbPath}: it would record ${describeEstimate(c)}, and its file system has ${formatBytes(c.freeBytes ?? 0)} free`;
}
