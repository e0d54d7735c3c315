import { formatFinding } from '../../src-shared/model';
import { parseArgs } from './args';
import { CliError, readDesignFile, type CliIo } from './io';

/**
 * `tock-studio validate <design.json> [--json]`: exit 0 when valid (warnings printed), 1 with one line per
 * problem (path and reason) otherwise.
 */
export async function validateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const a = parseArgs(args, [], ['json']);
  if (a.positionals.length !== 1) throw new CliError('usage: tock-studio validate <design.json> [--json]', 2);
  const file = a.positionals[0]!;
  const result = await readDesignFile(file);
  if (a.flags.json) {
    io.stdout.write(`${JSON.stringify({ file, valid: result.ok, findings: result.findings })}\n`);
    return result.ok ? 0 : 1;
  }
  const errors = result.findings.filter((f) => f.severity === 'error');
  const warnings = result.findings.filter((f) => f.severity === 'warning');
  for (const f of [...errors, ...warnings]) (f.severity === 'error' ? io.stderr : io.stdout).write(`${file}: ${formatFinding(f)}\n`);
  if (result.ok) {
    io.stdout.write(`${file}: valid (${result.design.nodes.length} nodes, ${result.design.edges.length} edges, ${warnings.length} warning${warnings.length === 1 ? '' : 's'})${result.migratedFrom !== undefined ? `, migrated from version ${result.migratedFrom}` : ''}\n`);
    return 0;
  }
  io.stderr.write(`${file}: invalid (${errors.length} error${errors.length === 1 ? '' : 's'}${warnings.length > 0 ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''})\n`);
  return 1;
}
