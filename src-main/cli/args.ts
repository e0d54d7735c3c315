import { CliError, HelpRequested } from './io';

/** Parsed command-line arguments: positionals in order, flags by name (`--seed 3` → { seed: '3' }). */
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true>;
}

/**
 * Parses `args` against the flags a command knows: `valued` take a value (`--seed 3` or `--seed=3`), `boolean`
 * take none. An unknown flag or a missing value is a `CliError` naming it; `--help` or `-h` (where a flag may
 * stand, not as a flag's value nor after `--`) is `HelpRequested`.
 */
export function parseArgs(args: readonly string[], valued: readonly string[], boolean: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: {} };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.positionals.push(...args.slice(i + 1));
      break;
    }
    if (a === '-h') throw new HelpRequested();
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (name === 'help') throw new HelpRequested();
      if (valued.includes(name)) {
        const v = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined || v === '') throw new CliError(`--${name} needs a value`);
        out.flags[name] = v;
      } else if (boolean.includes(name)) {
        if (eq >= 0) throw new CliError(`--${name} takes no value (write --${name}, not ${a})`);
        out.flags[name] = true;
      } else throw new CliError(`unknown option --${name}${[...valued, ...boolean].length ? ` (known: ${[...valued, ...boolean].map((f) => `--${f}`).join(', ')})` : ''}`);
    } else if (/^-[A-Za-z]/.test(a)) {
      // A short option other than -h: none exist, and taken as a positional it would read as a file name.
      throw new CliError(`unknown option ${a}${[...valued, ...boolean].length ? ` (options are spelled out: ${[...valued, ...boolean].map((f) => `--${f}`).join(', ')})` : ''}`);
    } else out.positionals.push(a);
  }
  return out;
}
