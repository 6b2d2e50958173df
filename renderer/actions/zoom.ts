import { hasImage, plain, type Action } from './types';

export const zoomIn: Action = {
  id: 'zoom-in',
  label: 'Zoom in',
  shortcut: '+',
  keyTest: (e) => !e.alt && (e.key === '+' || e.key === '=' || e.code === 'NumpadAdd'),
  enabled: hasImage,
  perform: (ctx) => ctx.editor.zoomBy(1.25),
};

export const zoomOut: Action = {
  id: 'zoom-out',
  label: 'Zoom out',
  shortcut: '−',
  keyTest: (e) => !e.alt && (e.key === '-' || e.key === '_' || e.code === 'NumpadSubtract'),
  enabled: hasImage,
  perform: (ctx) => ctx.editor.zoomBy(1 / 1.25),
};

export const zoomFit: Action = {
  id: 'zoom-fit',
  label: 'Fit to window',
  shortcut: '0',
  keyTest: (e) => (plain(e) || e.mod) && e.key === '0',
  enabled: hasImage,
  perform: (ctx) => ctx.editor.fit(),
};

export const zoomActual: Action = {
  id: 'zoom-100',
  label: 'Actual pixels (100%)',
  shortcut: '1',
  keyTest: (e) => plain(e) && e.key === '1',
  enabled: hasImage,
  perform: (ctx) => {
    const ed = ctx.editor;
    ed.zoomBy(1 / ed.state.view.zoom);
  },
};
