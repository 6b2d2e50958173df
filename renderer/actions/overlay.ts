import { plain, type Action } from './types';

const MODES = ['probability', 'binary', 'uncertainty'] as const;

export const toggleMode: Action = {
  id: 'toggle-binary',
  label: 'Overlay: probability / binary / uncertainty',
  shortcut: 'M',
  keyTest: (e) => plain(e) && e.key.toLowerCase() === 'm',
  perform: (ctx) => {
    const o = ctx.editor.state.overlay;
    ctx.editor.setOverlay({ mode: MODES[(MODES.indexOf(o.mode) + 1) % MODES.length] });
  },
};

type OverlaySwitch = 'showPrediction' | 'showLabel' | 'diff';

/** A key that flips one overlay switch. */
function overlaySwitch(id: string, label: string, key: string, field: OverlaySwitch): Action {
  return {
    id,
    label,
    shortcut: key.toUpperCase(),
    keyTest: (e) => plain(e) && e.key.toLowerCase() === key,
    perform: (ctx) => ctx.editor.setOverlay({ [field]: !ctx.editor.state.overlay[field] }),
  };
}

export const togglePrediction = overlaySwitch('toggle-prediction', 'Show prediction', 'o', 'showPrediction');
export const toggleLabel = overlaySwitch('toggle-label', 'Show label', 'l', 'showLabel');
export const toggleDiff = overlaySwitch('toggle-diff', 'Diff view (prediction vs label)', 'd', 'diff');
