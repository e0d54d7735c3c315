#!/usr/bin/env node
// The `tock-studio` command. Runs the TypeScript sources through tsx so a checkout needs no build step.
import { tsImport } from 'tsx/esm/api';

// A reader that stops early (`… | head`) closes the pipe: the output is no longer wanted, so end quietly (as
// other command-line tools do) instead of dying on the stream's unhandled EPIPE error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
const { main } = await tsImport('../src-main/cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
