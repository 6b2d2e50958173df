import type { ReactNode } from 'react';
import type { OverlaySettings } from '../editor/types';
import { useEditorState, useServices } from './hooks';

type Flag = { [K in keyof OverlaySettings]: OverlaySettings[K] extends boolean ? K : never }[keyof OverlaySettings];

/** A checkbox for one on/off overlay setting, with its colour swatch and keyboard shortcut. */
export function OverlayCheck(p: { flag: Flag; testId: string; swatch?: string; kbd?: string; children: ReactNode }) {
  const { editor } = useServices();
  const checked = useEditorState((s) => s.overlay[p.flag]);
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => editor.setOverlay({ [p.flag]: e.target.checked })} data-testid={p.testId} />
      {p.swatch && <span className={`swatch ${p.swatch}`} />} {p.children} {p.kbd && <kbd>{p.kbd}</kbd>}
    </label>
  );
}
