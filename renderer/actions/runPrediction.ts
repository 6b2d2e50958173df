import type { Action } from './types';

export const runPrediction: Action = {
  id: 'predict',
  label: 'Run prediction',
  shortcut: 'Shift+R',
  keyTest: (e) => !e.mod && !e.alt && e.shift && e.key.toLowerCase() === 'r',
  enabled: (ctx) => ctx.editor.hasImage && ctx.editor.state.predicting === null,
  perform: async (ctx) => {
    await ctx.controller.runPrediction();
  },
};
