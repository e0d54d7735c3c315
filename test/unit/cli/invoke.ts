import { CliError, type CliIo } from '../../../src-main/cli/io';
import { main } from '../../../src-main/cli/main';

/** Runs one CLI command function in-process, handling CliError as main() does: its exit code and stderr text. */
export async function invokeCli(name: string, command: (args: readonly string[], io: CliIo) => Promise<number>, args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
  let code: number;
  try {
    code = await command(args, io);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    err += `tock-studio ${name}: ${e.message}\n`;
    code = e.code;
  }
  return { code, out, err };
}

/** Runs `tock-studio …` in-process through `main` (as the bin does): exit code, stdout and stderr. */
export async function invokeMain(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}
