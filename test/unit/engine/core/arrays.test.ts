import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { removeIndex, rotateToEnd, takeFirst } from '../../../../src-main/engine/core/arrays';

// The in-place helpers must do exactly what the builtins they replace do, on any array and index.
const arrayAndIndex = fc.array(fc.integer(), { minLength: 1, maxLength: 30 }).chain((a) => fc.tuple(fc.constant(a), fc.nat(a.length - 1)));

describe('small-array helpers', () => {
  it('removeIndex = splice(i, 1)[0]', () => {
    fc.assert(
      fc.property(arrayAndIndex, ([a, i]) => {
        const mine = [...a];
        const ref = [...a];
        expect(removeIndex(mine, i)).toBe(ref.splice(i, 1)[0]);
        expect(mine).toEqual(ref);
      }),
    );
  });

  it('takeFirst = shift, including on an empty array', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 30 }), (a) => {
        const mine = [...a];
        const ref = [...a];
        expect(takeFirst(mine)).toBe(ref.shift());
        expect(mine).toEqual(ref);
      }),
    );
  });

  it('rotateToEnd = splice(i, 1) then push', () => {
    fc.assert(
      fc.property(arrayAndIndex, ([a, i]) => {
        const mine = [...a];
        const ref = [...a];
        ref.push(ref.splice(i, 1)[0]!);
        rotateToEnd(mine, i);
        expect(mine).toEqual(ref);
      }),
    );
  });
});
