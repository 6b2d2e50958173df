import type { Action } from './types';

export const undo: Action = {
  id: 'undo',
  label: 'Undo',
  shortcut: 'Ctrl+Z',
  keyTest: (e) => e.mod && !e.shift && e.key.toLowerCase() === 'z',
  enabled: (ctx) => ctx.editor.state.canUndo,
  perform: (ctx) => void ctx.editor.undo(),
};
