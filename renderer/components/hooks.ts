import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ActionManager } from '../actions';
import type { Controller } from '../app/Controller';
import type { Editor } from '../editor/Editor';
import type { EditorState } from '../editor/types';

export interface AppServices {
  editor: Editor;
  controller: Controller;
  actions: ActionManager;
  openFiles(): void;
  openFolder(): void;
}

export const ServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('ServicesContext missing');
  return s;
}

/** Subscribe to a slice of editor state; the component re-renders only when the slice changes (Object.is). */
export function useEditorState<T>(selector: (s: EditorState) => T): T {
  const { editor } = useServices();
  return useSyncExternalStore(
    (cb) => editor.subscribe(cb),
    () => selector(editor.state),
  );
}
