// Names only (no schemas), so the preload can bind every method without bundling zod.

/** Every method of the contract, in one list. The IPC channel of a method is `studio:<method>`. */
export const METHOD_NAMES = [
  'info',
  'listTemplates',
  'getTemplate',
  'validateDesign',
  'openDesign',
  'saveDesign',
  'recentDesigns',
  'setDocumentState',
  'startRun',
  'cancelRun',
  'listRuns',
  'getRun',
  'deleteRun',
  'listSeries',
  'getSeries',
  'latencyHistogram',
  'latencyCdf',
  'latencyOverTime',
  'trace',
  'compareRuns',
  'designDiff',
  'exportRun',
] as const;

/** Channel of method `m`. */
export function channelOf(m: string): string {
  return `studio:${m}`;
}

/** The IPC channel / SSE event of run progress. */
export const PROGRESS_CHANNEL = 'studio:runProgress';
/** The IPC channel on which the desktop menu sends commands (`new`, `open`, `save`, …) to the renderer. */
export const MENU_CHANNEL = 'studio:menu';
