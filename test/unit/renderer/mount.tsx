import { render } from '@testing-library/react';
import { App } from '../../../src-renderer/App';
import type { Studio } from '../../../src-renderer/editor/context';
import { createStudio } from '../../../src-renderer/editor/studio';
import type { Design } from '../../../src-shared/model';
import { fakeFiles, twoKernels } from './helpers';

/** The whole studio mounted on `design` (the start gallery closed), as a user would find it after opening it. */
export function mountStudio(design: Design = twoKernels()): Studio {
  const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
  studio.editor.getState().loadDesign(design, null);
  render(<App studio={studio} />);
  return studio;
}
