import type { Action } from './types';

export const redo: Action = {
  id: 'redo',
  label: 'Redo',
  shortcut: 'Ctrl+Shift+Z',
  keyTest: (e) => e.mod && ((e.shift && e.key.toLowerCase() === 'z') || (!e.shift && e.key.toLowerCase() === 'y')),
  enabled: (ctx) => ctx.editor.state.canRedo,
  perform: (ctx) => void ctx.editor.redo(),
};
