import { createRunStore } from '../run/runStore';
import { createSweepStore } from '../run/sweepStore';
import type { Studio } from './context';
import { createController } from './controller';
import { browserFiles, type DesignFiles } from './files';
import { createEditorStore } from './store';
import { createUiStore } from './ui';

/** Creates the stores and controller of a studio window. The desktop shell passes its own file service. */
export function createStudio(opts: { files?: DesignFiles; galleryOpen?: boolean } = {}): Studio {
  const editor = createEditorStore();
  const ui = createUiStore(opts.galleryOpen === undefined ? {} : { galleryOpen: opts.galleryOpen });
  const ctl = createController(editor, ui, opts.files ?? browserFiles());
  const run = createRunStore({ editor, ui, ctl });
  const sweep = createSweepStore({ run, ui });
  return { editor, ui, ctl, run, sweep };
}
