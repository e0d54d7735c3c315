// The lint on what a service's allowlist names, and on two processes with one name: the engine lets a sender
// through an allowlist by its name (src-main/engine/tock/mechanisms.ts `allowed()`), so a name that matches no
// sender refuses the sender meant, and two processes with one name cannot be told apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowlistNames, formatFinding, parseDesignText, validateDesign, type Design, type Finding } from '../../../src-shared/model';
import { DesignBuilder } from '../../fixtures/builder';

const wifiFile = join(__dirname, '../../../resources/examples/wifi-http-server.json');

/** The WiFi template, its `net-stack` service's allowlist set to `allowlist`. */
function wifi(allowlist?: string): Design {
  const r = parseDesignText(readFileSync(wifiFile, 'utf8'));
  if (!r.ok) throw new Error('the WiFi template does not load');
  if (allowlist !== undefined) r.design.nodes.find((n) => n.name === 'net-stack')!.params.allowlist = allowlist;
  return r.design;
}

const allowlistFindings = (d: Design): Finding[] => validateDesign(d).filter((f) => f.code.startsWith('allowlist'));

describe('lint: a service allowlist', () => {
  it('warns about a name that matches no process (the reviewer’s typo "htp-server"), naming the service, the parameter and the name', () => {
    const f = allowlistFindings(wifi('htp-server'));
    const unknown = f.filter((x) => x.code === 'allowlist-unknown');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ severity: 'warning', path: 'nodes[2].params.allowlist', nodeId: 'stack', paramKey: 'allowlist', where: 'Service “net-stack”' });
    expect(unknown[0]!.message).toMatch(/^Allowlist \(allowlist\) names "htp-server", which is not the name of any process or service in the design .*did you mean "http-server"\?$/);
    // The command line names the place, the parameter and the name on one line.
    expect(formatFinding(unknown[0]!)).toMatch(/^warning nodes\[2\]\.params\.allowlist: Allowlist \(allowlist\) names "htp-server", .* \(Service “net-stack”\)$/);
  });

  it('says what happens to the sender left out: every message it sends through a mechanism that checks the list fails', () => {
    const refused = allowlistFindings(wifi('htp-server')).filter((x) => x.code === 'allowlist-refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.message).toMatch(/leaves out "http-server", which sends to this service through "outgoing packets": every message it sends this way is refused/);
  });

  it('warns about each unknown name of a list, once each, and ignores spaces around the commas as the engine does', () => {
    const f = allowlistFindings(wifi(' http-server , ghost,  phantom ,http-server'));
    expect(f.map((x) => [x.code, /"(ghost|phantom)"/.exec(x.message)?.[1]])).toEqual([
      ['allowlist-unknown', 'ghost'],
      ['allowlist-unknown', 'phantom'],
    ]);
    expect(allowlistNames(' http-server , ghost,  phantom ,http-server')).toEqual(['http-server', 'ghost', 'phantom']);
    expect(allowlistNames('')).toBeNull();
    expect(allowlistNames('  ')).toBeNull();
    expect(allowlistNames(' , ')).toEqual([]);
  });

  it('is quiet for the template as shipped (no allowlist) and for a list naming its real client', () => {
    expect(allowlistFindings(wifi())).toEqual([]);
    expect(allowlistFindings(wifi('http-server'))).toEqual([]);
    expect(validateDesign(wifi('http-server'))).toEqual([]);
  });

  it('warns about a name that is a process with no connection that can reach the service', () => {
    const d = new DesignBuilder()
      .kernel('k')
      .node('client', 'process', 'k')
      .node('q', 'twoCopyChannel', 'k')
      .node('svc', 'service', 'k', { allowlist: 'client, logger' })
      .node('logger', 'process', 'k')
      .node('log', 'twoCopyChannel', 'k')
      .node('sink', 'process', 'k', { workload: 'none' })
      .edge('client', 'q')
      .edge('q', 'svc')
      .edge('logger', 'log')
      .edge('log', 'sink')
      .build();
    const f = allowlistFindings(d);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'allowlist-unreachable', path: 'nodes[3].params.allowlist', nodeId: 'svc', paramKey: 'allowlist' });
    expect(f[0]!.message).toBe('Allowlist (allowlist) names "logger", but Process “logger” has no connection into a mechanism that delivers to this service, so it never sends here');
    // Connected, even by a connection with an error of its own: that error is the thing to fix, not the list.
    d.edges.push({ id: 'e9', source: 'logger', sourceHandle: 'out', target: 'q', targetHandle: 'nope', params: {} });
    expect(validateDesign(d).filter((x) => x.code === 'allowlist-unreachable')).toEqual([]);
  });

  it('warns when the list names a node that is not a process, and when it holds only commas (nobody may send)', () => {
    const d = new DesignBuilder().kernel('k').node('client', 'process', 'k').node('q', 'twoCopyChannel', 'k').node('svc', 'service', 'k', { allowlist: 'q' }).edge('client', 'q').edge('q', 'svc').build();
    const f = allowlistFindings(d);
    expect(f.map((x) => x.code)).toEqual(['allowlist-unknown', 'allowlist-refused']);
    expect(f[0]!.message).toMatch(/names "q", which is a Two-copy channel, not a process or service/);
    d.nodes.find((n) => n.id === 'svc')!.params.allowlist = ' , ';
    expect(allowlistFindings(d)).toMatchObject([{ code: 'allowlist-empty', message: expect.stringMatching(/holds no name, only commas, so every sender is refused/) }]);
  });

  it('does not claim refusals for a connected process that sends nothing', () => {
    const d = new DesignBuilder().kernel('k').node('quiet', 'process', 'k', { workload: 'none' }).node('q', 'twoCopyChannel', 'k').node('svc', 'service', 'k', { allowlist: 'other' }).node('other', 'process', 'k').edge('quiet', 'q').edge('other', 'q').edge('q', 'svc').build();
    expect(allowlistFindings(d)).toEqual([]);
  });

  it('does not claim refusals through a mechanism that does not check the list (legacy IPC)', () => {
    const d = new DesignBuilder().kernel('k').node('client', 'process', 'k').node('m', 'legacyIpc', 'k').node('svc', 'service', 'k', { allowlist: 'other' }).node('other', 'process', 'k').edge('client', 'm').edge('m', 'svc').edge('other', 'm').build();
    expect(allowlistFindings(d).map((x) => x.code)).toEqual([]);
  });
});

describe('lint: two processes or services with one name', () => {
  it('warns on the second, naming both (kind, name and id), and not for other kinds sharing a name', () => {
    const d = new DesignBuilder().kernel('k').node('a', 'process', 'k').node('m', 'twoCopyChannel', 'k').node('b', 'service', 'k').edge('a', 'm').edge('m', 'b').build();
    d.nodes.find((n) => n.id === 'b')!.name = 'a';
    d.nodes.find((n) => n.id === 'm')!.name = 'a'; // a mechanism may share it: allowlists and reports name processes only
    const f = validateDesign(d).filter((x) => x.code === 'duplicate-name');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', path: 'nodes[3].name', nodeId: 'b', where: 'Service “a”' });
    expect(f[0]!.message).toMatch(/^has the same name as Process “a” \(id "a", nodes\[1\]\): allowlists name senders, and the run's reports list processes, by name/);
  });

  it('is quiet when the names differ', () => {
    const d = new DesignBuilder().kernel('k').node('a', 'process', 'k').node('m', 'twoCopyChannel', 'k').node('b', 'service', 'k').edge('a', 'm').edge('m', 'b').build();
    expect(validateDesign(d).filter((x) => x.code === 'duplicate-name')).toEqual([]);
  });
});
