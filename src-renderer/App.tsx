import { ReactFlowProvider } from '@xyflow/react';
import { useState } from 'react';
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

function Shell() {
  const theme = useUi((s) => s.theme);
  useLiveLint();
  useShortcuts();
  useUnloadGuard();
  useThemeAttribute(theme);
  return (
    <div className="app">
      <TopBar />
      <div className="workspace">
        <Palette />
        <main className="center">
          <Canvas />
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
 * The studio window: top bar, palette, canvas, inspector and problems panel. Opens on the template gallery.
 * Tests pass their own `studio` (stores with fake files).
 */
export function App({ studio }: { studio?: Studio }) {
  const [s] = useState(() => studio ?? createStudio());
  return (
    <StudioProvider studio={s}>
      <ReactFlowProvider>
        <Shell />
      </ReactFlowProvider>
    </StudioProvider>
  );
}
