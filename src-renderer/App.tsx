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
import { useLiveLint, useShortcuts, useThemeAttribute, useUnloadGuard } from './editor/hooks';
import { createStudio } from './editor/studio';
import { bindDesktop, desktopFiles, isDesktop } from './desktop';
import { ResultsDock } from './results/ResultsDock';
import { useRunEvents } from './run/hooks';

function Shell() {
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
      <TemplateGallery />
      <HelpOverlay />
      <Dialogs />
      <Toasts />
    </div>
  );
}

/**
 * The studio window: top bar (with the run controls), palette, canvas, results dock, inspector and problems
 * panel. Opens on the template gallery.
 * Tests pass their own `studio` (stores with fake files).
 */
export function App({ studio }: { studio?: Studio }) {
  const [s] = useState(() => studio ?? createStudio(isDesktop() ? { files: desktopFiles() } : {}));
  // In the desktop app: native menu commands, and the dirty state for the title bar and the close prompt.
  useEffect(() => (isDesktop() ? bindDesktop(s) : undefined), [s]);
  return (
    <StudioProvider studio={s}>
      <ReactFlowProvider>
        <Shell />
      </ReactFlowProvider>
    </StudioProvider>
  );
}
