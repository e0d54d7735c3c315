// Small-array operations for the model's hot paths (ready lists, upcall and job queues, channel FIFOs hold a
// handful of entries). A plain loop moves the few elements in place: Array.prototype.splice allocates an array
// of the removed elements on every call, and shift/splice are builtin calls that cost more than the move itself
// at these sizes. Element order and contents are exactly those of the builtins.

/** Removes and returns `a[i]` (0 ≤ i < a.length), keeping the order of the rest. */
export function removeIndex<T>(a: T[], i: number): T {
  const x = a[i]!;
  const last = a.length - 1;
  for (let j = i; j < last; j++) a[j] = a[j + 1]!;
  a.pop();
  return x;
}

/** Removes and returns the first element (undefined when empty), like `a.shift()`. */
export function takeFirst<T>(a: T[]): T | undefined {
  return a.length === 0 ? undefined : removeIndex(a, 0);
}

/** Moves `a[i]` to the end, keeping the order of the rest. */
export function rotateToEnd<T>(a: T[], i: number): void {
  const x = a[i]!;
  const last = a.length - 1;
  for (let j = i; j < last; j++) a[j] = a[j + 1]!;
  a[last] = x;
}
