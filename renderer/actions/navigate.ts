import type { Action } from './types';

export const nextImage: Action = {
  id: 'next-image',
  label: 'Next image',
  shortcut: '↓ / PageDown',
  keyTest: (e) => !e.mod && !e.alt && (e.key === 'ArrowDown' || e.key === 'PageDown'),
  perform: (ctx) => ctx.controller.navigate(1),
};

export const previousImage: Action = {
  id: 'previous-image',
  label: 'Previous image',
  shortcut: '↑ / PageUp',
  keyTest: (e) => !e.mod && !e.alt && (e.key === 'ArrowUp' || e.key === 'PageUp'),
  perform: (ctx) => ctx.controller.navigate(-1),
};
