#!/usr/bin/env node
// The `tock-studio` command. Runs the TypeScript sources through tsx so a checkout needs no build step.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../src-main/cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
