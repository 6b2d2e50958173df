import type { Action } from './types';

export const predictAll: Action = {
  id: 'predict-all',
  label: 'Predict all images',
  enabled: (ctx) => ctx.editor.state.images.length > 0 && !ctx.controller.batch.running,
  perform: (ctx) => ctx.controller.batch.predictAll(),
};
