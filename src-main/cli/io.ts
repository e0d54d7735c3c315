import { promises as fs, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MAX_DESIGN_BYTES, parseDesignText, type LoadResult } from '../../src-shared/model';

/** Where the CLI writes: injected so tests can capture output. */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** A user-facing CLI error: printed as one line, no stack trace, exit code `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

/** Thrown by `parseArgs` for `--help` / `-h` after a command: `main` prints that command's usage and exits 0. */
export class HelpRequested extends CliError {
  constructor() {
    super('help requested', 0);
  }
}

/**
 * Checks that the folder of a database named by `--db` exists (only the default database's folder is created):
 * a `CliError` naming the file and the folder otherwise.
 */
export function checkDbFolder(file: string): void {
  const dir = dirname(resolve(file));
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`--db ${file}: the folder ${dir} does not exist; create it first or choose another file`);
    throw new CliError(`--db ${file}: cannot read the folder ${dir} (${code ?? String(e)})`);
  }
  if (!isDir) throw new CliError(`--db ${file}: ${dir} is not a folder`);
}

/**
 * Reads and loads a design file. Missing file, directory, unreadable, too large, not UTF-8 JSON: a `CliError`
 * with a sentence naming the file. Otherwise the loader's result (which carries its own findings).
 */
export async function readDesignFile(file: string): Promise<LoadResult> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${file}: no such file`);
    if (code === 'EACCES') throw new CliError(`${file}: permission denied`);
    throw new CliError(`${file}: cannot read (${code ?? String(e)})`);
  }
  if (stat.isDirectory()) throw new CliError(`${file}: is a directory, not a design file`);
  if (!stat.isFile()) throw new CliError(`${file}: is not a regular file`);
  if (stat.size > MAX_DESIGN_BYTES) {
    throw new CliError(`${file}: the file is ${(stat.size / 1048576).toFixed(1)} MiB; a design file is at most ${MAX_DESIGN_BYTES / 1048576} MiB`);
  }
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseDesignText(text);
}

/** `file` as it really is: through a symlink to its target, else its folder resolved through symlinks (it may not exist). */
function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    try {
      return join(realpathSync(dirname(resolve(file))), basename(file));
    } catch {
      return resolve(file);
    }
  }
}

/**
 * Where `--out <file>` writes: the file itself, or the target of a symlink (written through, not replaced by a file).
 * Refuses an output that is, under any name, one of `inputs` (the run database and its journal files, the design
 * being exported): writing it would replace what is being read with the export.
 */
export function outputTarget(out: string, inputs: readonly { file: string; what: string }[]): string {
  const target = realPath(out);
  for (const { file, what } of inputs) {
    const real = realPath(file);
    const same = [real, `${real}-wal`, `${real}-shm`, `${real}-journal`].includes(target);
    if (same) throw new CliError(`--out ${out}: that is ${what} (${file}); choose another file`, 2);
  }
  return target;
}
