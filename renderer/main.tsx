import { createRoot } from 'react-dom/client';
import { ActionManager } from './actions';
import { getApi } from './api';
import { Controller } from './app/Controller';
import { keepPreferences } from './app/preferences';
import { App } from './components/App';
import { Editor } from './editor/Editor';
import { decodeChannel, decodePhoto, thumbnailUrl } from './io/decode';
import { encodeMaskPng } from './io/png';

declare global {
  interface Window {
    /** Read-only test hook for e2e assertions on editor state. */
    __vesselEditor?: Editor;
  }
}

async function start() {
  const editor = new Editor();
  window.__vesselEditor = editor;
  keepPreferences(editor, window.localStorage);
  const root = createRoot(document.getElementById('root')!);
  let api;
  try {
    api = await getApi();
  } catch (e) {
    root.render(<div className="fatal">Cannot reach Vessel Studio's backend: {e instanceof Error ? e.message : String(e)}</div>);
    return;
  }
  const controller = new Controller(
    editor,
    api,
    { decodePhoto, decodeChannel, encodeMask: encodeMaskPng, thumbnail: (png) => thumbnailUrl(png) },
    { thumbnails: true },
  );
  const ui = { openFiles: () => {}, openFolder: () => {} };
  const actions = new ActionManager({
    editor,
    controller,
    ui: {
      openFiles: () => ui.openFiles(),
      openFolder: () => ui.openFolder(),
    },
  });
  // The file inputs live in React; the action context reaches them through the test ids.
  ui.openFiles = () => document.querySelector<HTMLInputElement>('[data-testid="open-input"]')?.click();
  ui.openFolder = () => document.querySelector<HTMLInputElement>('[data-testid="open-folder-input"]')?.click();
  root.render(<App services={{ editor, controller, actions }} />);
  await controller.init();
}

void start();
