/** A scripted editor: drives pointer/key sequences without a window. */
import { Editor } from '../../renderer/editor/Editor';

export function makeEditor(width = 40, height = 30, viewport = { width: 400, height: 300 }): Editor {
  const ed = new Editor();
  ed.setViewport(viewport.width, viewport.height);
  ed.loadImage({ id: 'img1', width, height, prediction: null, label: null, fov: null });
  // 1 image px = 10 screen px, origin at (0, 0): screen = image * 10.
  ed.setView({ zoom: 10, x: 0, y: 0 });
  return ed;
}

type Mods = { alt?: boolean; button?: number };
const base = (x: number, y: number, m: Mods = {}) => ({ x, y, button: m.button ?? 0, alt: !!m.alt, shift: false, ctrl: false });

export function down(ed: Editor, x: number, y: number, m?: Mods) {
  return ed.dispatch({ type: 'pointer_down', ...base(x, y, m) });
}
export function move(ed: Editor, x: number, y: number, m?: Mods) {
  return ed.dispatch({ type: 'pointer_move', ...base(x, y, m) });
}
export function up(ed: Editor, x: number, y: number, m?: Mods) {
  return ed.dispatch({ type: 'pointer_up', ...base(x, y, m) });
}
export function key(ed: Editor, k: string, kind: 'down' | 'up' = 'down') {
  return ed.dispatch({ type: kind === 'down' ? 'key_down' : 'key_up', key: k });
}
/** Drag through screen points: down at the first, moves, up at the last. */
export function drag(ed: Editor, pts: [number, number][], m?: Mods) {
  down(ed, pts[0][0], pts[0][1], m);
  for (const [x, y] of pts.slice(1)) move(ed, x, y, m);
  const last = pts[pts.length - 1];
  up(ed, last[0], last[1], m);
}
export function ones(m: Uint8Array): number {
  let n = 0;
  for (const v of m) n += v;
  return n;
}
export function px(ed: Editor, x: number, y: number): number {
  return ed.label[y * ed.width + x];
}
