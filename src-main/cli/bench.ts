import { runMm1 } from '../engine/core/mm1';
import { parseArgs } from './args';
import { CliError, type CliIo } from './io';
import { parseSeed } from './run';

/** The M/M/1 yardstick of the engine core: figures of product.md's `bench mm1` contract. */
export function benchMm1(customers: number, seed = 1): { customers: number; wallSec: number; customersPerSec: number; meanTimeInSystem: number } {
  const t0 = performance.now();
  const r = runMm1({ customers, seed });
  const wallSec = (performance.now() - t0) / 1000;
  return { customers, wallSec: Math.round(wallSec * 1e4) / 1e4, customersPerSec: Math.round(customers / wallSec), meanTimeInSystem: Math.round(r.meanTimeInSystem * 1e6) / 1e6 };
}

/** `tock-studio bench mm1 --customers N [--json]`. */
export async function benchCommand(args: readonly string[], io: CliIo): Promise<number> {
  const a = parseArgs(args, ['customers', 'seed'], ['json']);
  if (a.positionals[0] !== 'mm1' || a.positionals.length !== 1) throw new CliError('usage: tock-studio bench mm1 --customers N [--seed N] [--json]', 2);
  const customers = Number(a.flags.customers ?? 1_000_000);
  if (!Number.isSafeInteger(customers) || customers < 1 || customers > 1e9) throw new CliError(`--customers ${String(a.flags.customers)}: a whole number from 1 to 1,000,000,000`);
  const r = benchMm1(customers, a.flags.seed !== undefined ? parseSeed(String(a.flags.seed)) : 1);
  if (a.flags.json) io.stdout.write(`${JSON.stringify(r)}\n`);
  else io.stdout.write(`M/M/1 (λ = 0.9, μ = 1): ${r.customers.toLocaleString('en-US')} customers in ${r.wallSec} s = ${r.customersPerSec.toLocaleString('en-US')} customers/s; mean time in system ${r.meanTimeInSystem} (theory 10)\n`);
  return 0;
}
