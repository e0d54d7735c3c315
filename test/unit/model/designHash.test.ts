import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { designHash } from '../../../src-main/store/hash';
import { parseDesignText } from '../../../src-shared/model';
import { designContentHash } from '../../../src-shared/model/designHash';
import { sha256Hex } from '../../../src-shared/util/sha256';

const nodeSha = (s: string): string => createHash('sha256').update(s).digest('hex');
const dir = join(__dirname, '../../../resources/examples');
const templates = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('sha256Hex (pure) equals node:crypto', () => {
  it('on the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('at every length around the 64-byte block and 56-byte padding boundaries', () => {
    for (let n = 0; n <= 200; n++) {
      const s = 'x'.repeat(n);
      expect(sha256Hex(s), `length ${n}`).toBe(nodeSha(s));
    }
  });

  it('on text outside ASCII: 2-, 3- and 4-byte UTF-8, and lone surrogates (written as U+FFFD by both)', () => {
    for (const s of ['µs → 512 B', 'Ünïcödé “quotes”', '😀 emoji 𝔘', 'lone \ud800 high', 'lone \udc00 low', 'end \ud83d', '\u0000\u007f\u0080\u07ff\u0800\uffff']) {
      expect(sha256Hex(s), JSON.stringify(s)).toBe(nodeSha(s));
    }
  });

  it('on pseudo-random strings (fixed seed)', () => {
    let x = 12345;
    const next = (): number => (x = (x * 1103515245 + 12345) >>> 0);
    for (let k = 0; k < 200; k++) {
      const len = next() % 300;
      let s = '';
      for (let i = 0; i < len; i++) s += String.fromCharCode(next() % 3 === 0 ? next() % 0x10000 : 32 + (next() % 95));
      expect(sha256Hex(s)).toBe(nodeSha(s));
    }
  });
});

describe('designContentHash (pure) equals the store’s designHash', () => {
  it.each(templates)('%s', (file) => {
    const r = parseDesignText(readFileSync(join(dir, file), 'utf8'));
    if (!r.ok) throw new Error(`${file} does not load`);
    expect(designContentHash(r.design)).toBe(designHash(r.design));
    // `ui` is editor state, not part of the address; the run block is.
    expect(designContentHash({ ...r.design, ui: { theme: 'dark' } } as typeof r.design)).toBe(designHash(r.design));
    expect(designContentHash({ ...r.design, run: { ...r.design.run, seed: r.design.run.seed + 1 } })).not.toBe(designHash(r.design));
  });
});
