import type { Action } from './types';

export const retrain: Action = {
  id: 'retrain',
  label: 'Retrain the model on the corrected images',
  // Needs a label on disk (or one being painted now, which is saved first) and no run in progress.
  enabled: (ctx) =>
    !ctx.controller.models.running && (ctx.editor.state.images.some((i) => i.status === 'corrected') || ctx.editor.state.save !== 'saved'),
  perform: (ctx) => ctx.controller.models.startRetrain(),
};
