/**
 * What the user set that belongs to them rather than to a workspace (the brush size), kept in the
 * browser's storage so a reload or the next session starts with it.
 */
import type { Editor } from '../editor/Editor';

const BRUSH_KEY = 'vessel-studio.brushSize';

/** The subset of the Web Storage API used here. */
export interface PreferenceStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Applies the stored preferences to the editor and keeps them stored as they change; returns the unsubscriber. */
export function keepPreferences(editor: Editor, store: PreferenceStore): () => void {
  const saved = Number(store.getItem(BRUSH_KEY));
  if (Number.isInteger(saved) && saved > 0) editor.setBrushSize(saved);
  let last = editor.state.brushSize;
  return editor.subscribe(() => {
    const size = editor.state.brushSize;
    if (size === last) return;
    last = size;
    try {
      store.setItem(BRUSH_KEY, String(size));
    } catch {
      // Storage full or refused (private mode): the size just is not kept.
    }
  });
}
