// Number fields that will hold large values (times in ns, byte counts) start out wide.
//
// V8 stores a number field in the representation of the first value written to it: a small integer (31 bits)
// or a double. The engine's times and counters start at 0, a small integer, and pass 2^31 mid-run (2.1 s of
// simulated time, 2 GiB copied); V8 then widens the field and discards the optimised code of every function that
// uses objects of that shape — dozens of deoptimisations in the first seconds of each run, which is what a run in
// a fresh worker (every run in the studio) pays. Such fields are therefore created holding a double (`WIDE`) and
// set to their starting value right after; storing integers into a double field later changes nothing.

/** Not a small integer: the value a wide field is created with (never observed: `widen` overwrites it). */
export const WIDE = 0.5;

/** Sets the wide fields `keys` of a freshly created `obj` to their starting `value`; returns `obj`. */
export function widen<T extends object>(obj: T, keys: readonly (keyof T)[], value = 0): T {
  for (const k of keys) (obj as Record<keyof T, unknown>)[k] = value;
  return obj;
}
