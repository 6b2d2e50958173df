import type { Action } from './types';

export const acceptPrediction: Action = {
  id: 'accept-prediction',
  label: 'Accept the prediction for the pixels no one decided (painted and erased ones stay)',
  shortcut: 'Shift+A',
  keyTest: (e) => !e.mod && !e.alt && e.shift && e.key.toLowerCase() === 'a',
  // Without edits the label already is the prediction; a reviewed label is never rewritten.
  enabled: (ctx) => ctx.editor.hasImage && ctx.editor.state.hasPrediction && ctx.editor.state.review === 'edited',
  perform: (ctx) => {
    if (!ctx.editor.acceptPrediction()) ctx.editor.toast('The undecided pixels already show the prediction at this threshold', 'info');
  },
};
