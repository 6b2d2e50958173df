import { hasImage, plain, type Action } from './types';

export const toggleReviewed: Action = {
  id: 'toggle-reviewed',
  label: 'Reviewed: the whole label is right (again: not reviewed)',
  shortcut: 'R',
  keyTest: (e) => plain(e) && !e.shift && e.key.toLowerCase() === 'r',
  enabled: (ctx) => hasImage(ctx) && (ctx.editor.state.hasPrediction || ctx.editor.edited),
  perform: (ctx) => void ctx.editor.setReviewed(!ctx.editor.reviewed),
};

export const toggleExcluded: Action = {
  id: 'toggle-excluded',
  label: 'Leave the image out of retraining (again: take it back)',
  shortcut: 'X',
  keyTest: (e) => plain(e) && !e.shift && e.key.toLowerCase() === 'x',
  enabled: hasImage,
  perform: (ctx) => {
    const id = ctx.editor.state.currentId;
    const im = ctx.editor.state.images.find((i) => i.id === id);
    if (im) return ctx.controller.setExcluded(im.id, !im.excluded);
  },
};

export const deleteImage: Action = {
  id: 'delete-image',
  label: 'Delete the image (to the workspace’s trash; Undo in the message)',
  shortcut: 'Delete',
  keyTest: (e) => !e.mod && !e.alt && e.key === 'Delete',
  enabled: hasImage,
  perform: (ctx) => {
    const id = ctx.editor.state.currentId;
    if (id) return ctx.controller.deleteImage(id);
  },
};

export const nextUncertain: Action = {
  id: 'next-uncertain',
  label: 'Go to the next uncertain region (prediction near the threshold, not decided yet)',
  shortcut: 'N',
  keyTest: (e) => plain(e) && !e.shift && e.key.toLowerCase() === 'n',
  enabled: (ctx) => hasImage(ctx) && ctx.editor.state.hasPrediction,
  perform: (ctx) => {
    if (!ctx.editor.nextUncertain()) ctx.editor.toast('Nothing uncertain left here that no one has decided', 'info');
  },
};
