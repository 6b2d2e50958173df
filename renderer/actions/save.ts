import { hasImage, type Action } from './types';

export const save: Action = {
  id: 'save',
  label: 'Save label',
  shortcut: 'Ctrl+S',
  keyTest: (e) => e.mod && !e.shift && e.key.toLowerCase() === 's',
  enabled: hasImage,
  perform: (ctx) => ctx.controller.save(),
};
