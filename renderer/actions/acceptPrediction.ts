import type { Action } from './types';

export const acceptPrediction: Action = {
  id: 'accept-prediction',
  label: 'Accept prediction as label',
  shortcut: 'Shift+A',
  keyTest: (e) => !e.mod && !e.alt && e.shift && e.key.toLowerCase() === 'a',
  enabled: (ctx) => ctx.editor.hasImage && ctx.editor.state.hasPrediction,
  perform: (ctx) => {
    if (!ctx.editor.acceptPrediction()) ctx.editor.toast('The label already equals the thresholded prediction', 'info');
  },
};
