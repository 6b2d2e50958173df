import type { Action } from './types';

export const retrain: Action = {
  id: 'retrain',
  label: 'Retrain the model on what people decided',
  // Needs an edited or reviewed image (or edits being made now, which are saved first) and no run in progress.
  enabled: (ctx) =>
    !ctx.controller.models.running &&
    (ctx.editor.state.images.some((i) => (i.status === 'edited' || i.status === 'reviewed') && !i.excluded) ||
      ctx.editor.state.save !== 'saved'),
  perform: (ctx) => ctx.controller.models.startRetrain(),
};
