// `tock-studio validate` and the lint: an allowlist naming no process is a warning (the design still runs, exit
// 0), and a design with an error still gets its warnings printed (exit 1 as before), each naming its place once.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { invokeMain } from './invoke';
import type { Design } from '../../../src-shared/model';

const examples = join(__dirname, '../../../resources/examples');

const cli = (...args: string[]): ReturnType<typeof invokeMain> => invokeMain(args);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tock-cli-lint-'));
});

/** A template edited and written to a file of its own. */
function edited(template: string, name: string, f: (d: Design) => void): string {
  const d = JSON.parse(readFileSync(join(examples, template), 'utf8')) as Design;
  f(d);
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(d));
  return p;
}

describe('tock-studio validate: the lint', () => {
  it('warns about an allowlist naming no process (the WiFi template with "htp-server"), and exits 0', async () => {
    const file = edited('wifi-http-server.json', 'typo.json', (d) => void (d.nodes.find((n) => n.name === 'net-stack')!.params.allowlist = 'htp-server'));
    const r = await cli('validate', file);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${file}: warning nodes[2].params.allowlist: Allowlist (allowlist) names "htp-server", which is not the name of any process or service in the design (names must match exactly); did you mean "http-server"? (Service “net-stack”)\n`);
    expect(r.out).toMatch(/valid \(7 nodes, 7 edges, 2 warnings\)/);
  });

  it('prints the warnings of a design with an error too, each place named once, and exits 1', async () => {
    const file = edited('dual-core-rp2040.json', 'wip.json', (d) => void d.nodes.push({ id: 'processCrash-1', kind: 'processCrash', name: 'Process crash 1', position: { x: 0, y: 600 }, params: {} }));
    const r = await cli('validate', file);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${file}: error nodes[9].params.targetId: Process (targetId) is required but not set (Process crash “Process crash 1”)\n${file}: invalid (1 error, 1 warning)\n`);
    expect(r.out).toMatch(/^.*: warning nodes\[5\]\.params\.mode: passes references across kernels: .*fate-sharing.* \(Inter-kernel channel “ikc by reference”\)\n$/);
    const json = await cli('validate', file, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ valid: false, findings: [{ severity: 'error', code: 'missing-param' }, { severity: 'warning', code: 'fate-sharing' }] });
  });
});
