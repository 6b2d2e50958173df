import { plain, type Action } from './types';

export const toggleMode: Action = {
  id: 'toggle-binary',
  label: 'Probability / binary overlay',
  shortcut: 'M',
  keyTest: (e) => plain(e) && e.key.toLowerCase() === 'm',
  perform: (ctx) => {
    const o = ctx.editor.state.overlay;
    ctx.editor.setOverlay({ mode: o.mode === 'binary' ? 'probability' : 'binary' });
  },
};

export const togglePrediction: Action = {
  id: 'toggle-prediction',
  label: 'Show prediction',
  shortcut: 'O',
  keyTest: (e) => plain(e) && e.key.toLowerCase() === 'o',
  perform: (ctx) => ctx.editor.setOverlay({ showPrediction: !ctx.editor.state.overlay.showPrediction }),
};

export const toggleLabel: Action = {
  id: 'toggle-label',
  label: 'Show label',
  shortcut: 'L',
  keyTest: (e) => plain(e) && e.key.toLowerCase() === 'l',
  perform: (ctx) => ctx.editor.setOverlay({ showLabel: !ctx.editor.state.overlay.showLabel }),
};
