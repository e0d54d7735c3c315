import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { Canvas } from './editor/components/Canvas';
import { Dialogs } from './editor/components/Dialogs';
import { HelpOverlay } from './editor/components/HelpOverlay';
import { Inspector } from './editor/components/Inspector';
import { LintPanel } from './editor/components/LintPanel';
import { Palette } from './editor/components/Palette';
import { TemplateGallery } from './editor/components/TemplateGallery';
import { Toasts } from './editor/components/Toasts';
import { TopBar } from './editor/components/TopBar';
import { StudioProvider, useUi, type Studio } from './editor/context';
import { browserDraftStorage, createDraftKeeper, type DraftKeeper, type DraftStorage } from './editor/drafts';
import { useLiveLint, useShortcuts, useThemeAttribute, useUnloadGuard } from './editor/hooks';
import { createStudio } from './editor/studio';
import { bindDesktop, desktopFiles, isDesktop } from './desktop';
import { ResultsDock } from './results/ResultsDock';
import { useRunEvents } from './run/hooks';

function Shell({ drafts }: { drafts: DraftKeeper | null }) {
  const theme = useUi((s) => s.theme);
  useLiveLint();
  useShortcuts();
  useUnloadGuard();
  useThemeAttribute(theme);
  useRunEvents();
  return (
    <div className="app">
      <TopBar />
      <div className="workspace">
        <Palette />
        <main className="center">
          <Canvas />
          <ResultsDock />
          <LintPanel />
        </main>
        <Inspector />
      </div>
      <TemplateGallery drafts={drafts} />
      <HelpOverlay />
      <Dialogs />
      <Toasts />
    </div>
  );
}

/**
 * The studio window: top bar (with the run controls), palette, canvas, results dock, inspector and problems
 * panel. Opens on the template gallery, which also offers the recovery drafts of earlier sessions.
 * Tests pass their own `studio` (stores with fake files) and, to exercise recovery, their own `drafts` storage;
 * a test's studio keeps no drafts unless it passes one, so tests never leave work behind for each other.
 */
export function App({ studio, drafts }: { studio?: Studio; drafts?: DraftStorage | null }) {
  const [s] = useState(() => studio ?? createStudio(isDesktop() ? { files: desktopFiles() } : {}));
  const [keeper] = useState(() => {
    const storage = drafts !== undefined ? drafts : studio ? null : browserDraftStorage();
    return storage ? createDraftKeeper(s, { storage }) : null;
  });
  // In the desktop app: native menu commands, and the dirty state for the title bar and the close prompt.
  useEffect(() => (isDesktop() ? bindDesktop(s) : undefined), [s]);
  // Unsaved changes are kept as a draft (reload, closed tab, crash, restarted server).
  useEffect(() => keeper?.start(), [keeper]);
  return (
    <StudioProvider studio={s}>
      <ReactFlowProvider>
        <Shell drafts={keeper} />
      </ReactFlowProvider>
    </StudioProvider>
  );
}
