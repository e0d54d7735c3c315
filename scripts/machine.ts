// What the benchmarks print next to their figures about the machine they ran on: besides the load average, the
// share of CPU time the hypervisor took away (steal) while a measurement ran. On these virtual machines steal
// reaches 40–90% for minutes at a time and halves a figure without anything in the project changing.
import { readFileSync } from 'node:fs';

/** Cumulative CPU time counters of all CPUs (clock ticks), or null where /proc/stat is not readable. */
export interface CpuTicks {
  total: number;
  steal: number;
}

export function cpuTicks(): CpuTicks | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user/nice)
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (f.length < 8 || f.some((x) => !Number.isFinite(x))) return null;
    return { total: f.reduce((a, b) => a + b, 0), steal: f[7]! };
  } catch {
    return null;
  }
}

/** ", hypervisor steal N%" for the interval since `from` (empty when unknown or the interval is too short). */
export function stealSince(from: CpuTicks | null): string {
  const to = cpuTicks();
  if (!from || !to || to.total - from.total < 10) return '';
  return `, hypervisor steal ${Math.round((100 * (to.steal - from.steal)) / (to.total - from.total))}%`;
}
