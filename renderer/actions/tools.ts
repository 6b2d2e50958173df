import { plain, type Action } from './types';

export const selectBrush: Action = {
  id: 'tool-brush',
  label: 'Vessel brush',
  shortcut: 'B',
  keyTest: (e) => plain(e) && !e.shift && e.key.toLowerCase() === 'b',
  perform: (ctx) => ctx.editor.setTool('brush'),
};

export const selectEraser: Action = {
  id: 'tool-eraser',
  label: 'Eraser (hold Alt with the brush)',
  shortcut: 'E',
  keyTest: (e) => plain(e) && !e.shift && e.key.toLowerCase() === 'e',
  perform: (ctx) => ctx.editor.setTool('eraser'),
};

export const selectPan: Action = {
  id: 'tool-pan',
  label: 'Pan (or hold Space)',
  shortcut: 'H',
  keyTest: (e) => plain(e) && !e.shift && e.key.toLowerCase() === 'h',
  perform: (ctx) => ctx.editor.setTool('pan'),
};

export const selectDisc: Action = {
  id: 'tool-disc',
  label: 'Place the optic disc (drag it; drag its edge to resize)',
  enabled: (ctx) => ctx.editor.hasImage,
  perform: (ctx) => ctx.editor.setTool(ctx.editor.state.tool === 'disc' ? 'brush' : 'disc'),
};

export const growBrush: Action = {
  id: 'brush-bigger',
  label: 'Bigger brush',
  shortcut: ']',
  keyTest: (e) => !e.mod && (e.key === ']' || e.code === 'BracketRight'),
  perform: (ctx) => ctx.editor.growBrush(),
};

export const shrinkBrush: Action = {
  id: 'brush-smaller',
  label: 'Smaller brush',
  shortcut: '[',
  keyTest: (e) => !e.mod && (e.key === '[' || e.code === 'BracketLeft'),
  perform: (ctx) => ctx.editor.shrinkBrush(),
};
