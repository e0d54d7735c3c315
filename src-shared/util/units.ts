/**
 * Units typed by a person (command line, inspector fields, hand-written design files) and their display.
 * Durations are integer nanoseconds everywhere in the model; `250ns`, `40us`/`40µs`, `5ms`, `10s` parse.
 */

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1_000,
  'µs': 1_000,
  'μs': 1_000,
  ms: 1_000_000,
  s: 1_000_000_000,
  min: 60_000_000_000,
};

/** Result of parsing a value typed by a person: the value, or a sentence saying what is wrong. */
export type ParseResult = { ok: true; value: number } | { ok: false; error: string };

const NUMBER_RE = /^\s*([+-]?(?:\d+(?:[_,]\d{3})*(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([a-zµμ/%]*)\s*$/i;

/**
 * Parses a duration with a unit (`250ns`, `40us`, `40µs`, `5ms`, `10s`, `2min`) into integer nanoseconds.
 * A bare number is taken in `defaultUnit` (ns unless given). Rounds to the nearest nanosecond.
 */
export function parseDuration(text: string, defaultUnit: keyof typeof DURATION_UNITS = 'ns'): ParseResult {
  const m = NUMBER_RE.exec(text);
  if (!m) return { ok: false, error: `"${text}" is not a duration; write a number with a unit, e.g. 250ns, 40us, 5ms or 10s` };
  const n = Number(m[1]!.replace(/[_,]/g, ''));
  const unit = m[2]!;
  const scale = unit === '' ? DURATION_UNITS[defaultUnit] : DURATION_UNITS[unit] ?? DURATION_UNITS[unit.toLowerCase()];
  if (scale === undefined) return { ok: false, error: `"${unit}" is not a time unit; use ns, us (µs), ms or s` };
  if (!Number.isFinite(n)) return { ok: false, error: `"${text}" is not a finite number` };
  if (n < 0) return { ok: false, error: `"${text}" is negative; a duration is ≥ 0` };
  const ns = Math.round(n * scale);
  if (!Number.isSafeInteger(ns)) return { ok: false, error: `"${text}" is too large` };
  return { ok: true, value: ns };
}

/** The number `text` holds when it is a number with no unit (`5`, `2.5`, `1e9`, `1_000`), else null. */
export function bareNumber(text: string): number | null {
  const m = NUMBER_RE.exec(text);
  return m !== null && m[2] === '' ? Number(m[1]!.replace(/[_,]/g, '')) : null;
}

/**
 * Whether `text` is a number with no unit that is not zero. A field that shows its value with a unit (`50 µs`,
 * `168 MHz`) cannot tell what such a number means: `100` typed over `50 µs` would be read as 100 ns, a value in range
 * that nobody meant. Such fields ask for the unit instead (as the command line's `--duration` does); 0 is 0 in any unit.
 */
export function isBareNonZero(text: string): boolean {
  const n = bareNumber(text);
  return n !== null && n !== 0;
}

/** Binary prefixes (KiB, MiB, GiB) are powers of 1024; decimal ones (kB, MB, GB, any case) powers of 1000. */
const SIZE_UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1_000, kib: 1_024, mb: 1_000_000, mib: 1_048_576, gb: 1_000_000_000, gib: 1_073_741_824 };
const FREQ_UNITS: Readonly<Record<string, number>> = { hz: 1, khz: 1e3, mhz: 1e6, ghz: 1e9 };
const RATE_UNITS: Readonly<Record<string, number>> = { 'bit/s': 1, 'kbit/s': 1e3, 'mbit/s': 1e6, bps: 1, kbps: 1e3, mbps: 1e6 };

function parseScaled(text: string, units: Readonly<Record<string, number>>, what: string, examples: string): ParseResult {
  const m = NUMBER_RE.exec(text);
  if (!m) return { ok: false, error: `"${text}" is not ${what}; e.g. ${examples}` };
  const n = Number(m[1]!.replace(/[_,]/g, ''));
  const unit = m[2]!.toLowerCase();
  const scale = unit === '' ? 1 : units[unit];
  if (scale === undefined) return { ok: false, error: `"${m[2]}" is not a unit of ${what}; e.g. ${examples}` };
  if (!Number.isFinite(n)) return { ok: false, error: `"${text}" is not a finite number` };
  const v = n * scale;
  if (!Number.isFinite(v)) return { ok: false, error: `"${text}" is too large` };
  // A decimal fraction scaled up lands a hair off the whole number it means (1.001 kB → 1000.9999999999999 B),
  // which a whole-number parameter would then refuse.
  const whole = Math.round(v);
  return { ok: true, value: Math.abs(v - whole) <= Math.abs(v) * 1e-12 ? whole : v };
}

/** Parses a size: `64`, `64B`, `4KiB`, `1.5kB`, `2GiB`. */
export function parseBytes(text: string): ParseResult {
  return parseScaled(text, SIZE_UNITS, 'a size', '64B, 4KiB');
}

/** Parses a frequency: `125MHz`, `31.25 MHz`, `50e6`. */
export function parseHz(text: string): ParseResult {
  return parseScaled(text, FREQ_UNITS, 'a frequency', '125MHz, 32kHz');
}

/** Parses a bit rate: `100Mbit/s`, `500kbit/s`. */
export function parseBitRate(text: string): ParseResult {
  return parseScaled(text, RATE_UNITS, 'a bit rate', '100Mbit/s, 500kbit/s');
}

function trim(n: number, digits: number): string {
  return Number(n.toPrecision(digits)).toString();
}

/** Formats nanoseconds for people: `812 ns`, `40.5 µs`, `5 ms`, `1.25 s`. */
export function formatDuration(ns: number, digits = 4): string {
  const a = Math.abs(ns);
  if (a < 1_000) return `${trim(ns, digits)} ns`;
  if (a < 1_000_000) return `${trim(ns / 1_000, digits)} µs`;
  if (a < 1_000_000_000) return `${trim(ns / 1_000_000, digits)} ms`;
  return `${trim(ns / 1_000_000_000, digits)} s`;
}

/** Formats bytes: `64 B`, `4 KiB`, `1.5 MiB`, `2 GiB`. */
export function formatBytes(bytes: number): string {
  const a = Math.abs(bytes);
  if (a < 1_024) return `${trim(bytes, 4)} B`;
  if (a < 1_048_576) return `${trim(bytes / 1_024, 4)} KiB`;
  if (a < 1_073_741_824) return `${trim(bytes / 1_048_576, 4)} MiB`;
  return `${trim(bytes / 1_073_741_824, 4)} GiB`;
}

/** Formats a frequency: `125 MHz`. */
export function formatHz(hz: number): string {
  if (hz >= 1e9) return `${trim(hz / 1e9, 4)} GHz`;
  if (hz >= 1e6) return `${trim(hz / 1e6, 4)} MHz`;
  if (hz >= 1e3) return `${trim(hz / 1e3, 4)} kHz`;
  return `${trim(hz, 4)} Hz`;
}
