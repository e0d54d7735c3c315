// Worker entry when running from the TypeScript sources (CLI via tsx, tests): registers tsx inside the worker,
// then loads the real worker. The desktop build starts the bundled out/main/runWorker.js instead.
import { tsImport } from 'tsx/esm/api';

await tsImport('./runWorker.ts', import.meta.url);
