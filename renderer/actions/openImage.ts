import type { Action } from './types';

export const openImage: Action = {
  id: 'open-image',
  label: 'Open images…',
  shortcut: 'Ctrl+O',
  keyTest: (e) => e.mod && !e.shift && e.key.toLowerCase() === 'o',
  perform: (ctx) => ctx.ui.openFiles(),
};
