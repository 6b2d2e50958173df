import type { Action } from './types';

export const openFolder: Action = {
  id: 'open-folder',
  label: 'Open folder…',
  shortcut: 'Ctrl+Shift+O',
  keyTest: (e) => e.mod && e.shift && e.key.toLowerCase() === 'o',
  perform: (ctx) => ctx.ui.openFolder(),
};
