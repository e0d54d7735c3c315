import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultDbPath as cliDefaultDbPath } from '../../../src-main/cli/runs';
import { canonicalJson, defaultDbPath, designHash } from '../../../src-main/store';
import { quantileSorted, sortedFloat64, upperBound } from '../../../src-main/store/sort';
import { smallDesign } from './helpers';

describe('defaultDbPath', () => {
  it('follows Electron userData for tock-ipc-studio on each platform', () => {
    expect(defaultDbPath({}, 'linux', '/home/ada')).toBe('/home/ada/.config/tock-ipc-studio/runs.sqlite');
    expect(defaultDbPath({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ada')).toBe('/xdg/tock-ipc-studio/runs.sqlite');
    expect(defaultDbPath({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/ada')).toBe('/home/ada/.config/tock-ipc-studio/runs.sqlite');
    expect(defaultDbPath({}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/tock-ipc-studio/runs.sqlite');
    expect(defaultDbPath({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Roaming\\tock-ipc-studio\\runs.sqlite');
    expect(defaultDbPath({}, 'win32', 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Roaming\\tock-ipc-studio\\runs.sqlite');
    expect(defaultDbPath({ TOCK_STUDIO_DB: '/tmp/x.sqlite' }, 'linux', '/home/ada')).toBe('/tmp/x.sqlite');
    expect(cliDefaultDbPath).toBe(defaultDbPath);
  });
});

describe('canonical JSON and the design hash', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"e":2,"f":1}]},"b":1}');
    expect(canonicalJson([undefined, NaN, 'x'])).toBe('[null,null,"x"]');
  });
  it('is sha256 of the canonical JSON of the design without ui', () => {
    const d = smallDesign();
    const { ui: _ui, ...model } = { ...d, ui: { zoom: 2 } };
    expect(designHash({ ...d, ui: { zoom: 2 } })).toBe(createHash('sha256').update(canonicalJson(model)).digest('hex'));
    expect(designHash(d)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('sorting latencies', () => {
  it('matches the numeric sort on large arrays with negatives, fractions, duplicates and ±0', () => {
    let s = 12345;
    const rnd = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    for (const gen of [() => Math.floor(rnd() * 1e7), () => (rnd() - 0.5) * 1e9, () => 5, () => Math.floor(rnd() * 4) * 1e-3, () => (rnd() < 0.5 ? -0 : 0)]) {
      const a = Float64Array.from({ length: 20_000 }, gen);
      const sorted = sortedFloat64(a);
      const ref = Float64Array.from(a).sort();
      expect(Array.from(sorted)).toEqual(Array.from(ref));
      expect(sorted).not.toBe(a);
    }
    expect(Array.from(sortedFloat64(Float64Array.of(3, 1, 2)))).toEqual([1, 2, 3]);
  });
  it('nearest-rank quantiles and upper bound', () => {
    const s = Float64Array.of(10, 20, 20, 30, 40, 100);
    expect([0, 0.5, 0.9, 0.99, 1].map((p) => quantileSorted(s, p))).toEqual([10, 20, 100, 100, 100]);
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNaN();
    expect(upperBound(s, 20)).toBe(3);
    expect(upperBound(s, 5)).toBe(0);
  });
});

describe('sorting whole-nanosecond latencies (32-bit path)', () => {
  it('matches the numeric sort, including 0 and 2^32 − 1, and falls back for values beyond', () => {
    let s = 99;
    const rnd = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    const a = Float64Array.from({ length: 30_000 }, (_, i) => (i === 0 ? 0 : i === 1 ? 2 ** 32 - 1 : Math.floor(rnd() * 2 ** 32)));
    expect(Array.from(sortedFloat64(a))).toEqual(Array.from(Float64Array.from(a).sort()));
    a[5] = 2 ** 32;
    expect(Array.from(sortedFloat64(a))).toEqual(Array.from(Float64Array.from(a).sort()));
  });
});
