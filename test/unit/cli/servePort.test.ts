// `tock-studio serve` without --port comes back on last time's port when it is free, so the page keeps its address
// (the browser keeps the recovery drafts of unsaved designs per address).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rememberedPort, rememberPort, servePortFile } from '../../../src-main/cli/serve';

const free = async (): Promise<boolean> => true;
const taken = async (): Promise<boolean> => false;

describe('serve: the port of last time', () => {
  it('is noted beside the database and used again when it is free', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tock-serve-port-'));
    const file = servePortFile(join(dir, 'runs.sqlite'));
    expect(file).toBe(join(dir, 'serve-port.json'));
    expect(await rememberedPort(file, free)).toBe(0); // never served: any free port
    rememberPort(file, 41234);
    expect(await rememberedPort(file, free)).toBe(41234);
    expect(await rememberedPort(file, taken)).toBe(0); // taken by another process meanwhile: any free port
  });

  it('ignores a note that is not a port it would use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tock-serve-port-'));
    const file = join(dir, 'serve-port.json');
    for (const text of ['not json', '{}', '{"port":"8080"}', '{"port":80}', '{"port":70000}', '{"port":1.5}']) {
      writeFileSync(file, text);
      expect(await rememberedPort(file, free)).toBe(0);
    }
  });

  it('does not fail when the note cannot be written', () => {
    expect(() => rememberPort(join(tmpdir(), 'no-such-folder-tock', 'x', 'serve-port.json'), 41234)).not.toThrow();
  });
});
