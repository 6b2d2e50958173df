import { plain, type Action } from './types';

export const toggleDiff: Action = {
  id: 'toggle-diff',
  label: 'Diff view (prediction vs label)',
  shortcut: 'D',
  keyTest: (e) => plain(e) && e.key.toLowerCase() === 'd',
  perform: (ctx) => ctx.editor.setOverlay({ diff: !ctx.editor.state.overlay.diff }),
};
