import { useEffect, useRef } from 'react';
import type { ImportFile } from '../app/Controller';
import { CanvasView } from './CanvasView';
import { CompareView } from './CompareView';
import { ServicesContext, type AppServices } from './hooks';
import { ImageList } from './ImageList';
import { SidePanel } from './SidePanel';
import { StatusBar } from './StatusBar';
import { Toasts } from './Toasts';
import { Toolbar } from './Toolbar';

const ACCEPT = 'image/*,.tif,.tiff,.ppm';

async function readFiles(list: FileList | File[]): Promise<ImportFile[]> {
  const files = [...list];
  return Promise.all(
    files.map(async (f) => {
      const path = (f as File & { webkitRelativePath?: string }).webkitRelativePath;
      return { name: f.name, ...(path ? { path } : {}), bytes: new Uint8Array(await f.arrayBuffer()) };
    }),
  );
}

function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return true;
  return t instanceof HTMLInputElement && !['range', 'checkbox', 'radio', 'button', 'file'].includes(t.type);
}

/** Keys a focused slider keeps (Up/Down/PageUp/PageDown still switch images). */
function sliderKey(t: EventTarget | null, key: string): boolean {
  return t instanceof HTMLInputElement && t.type === 'range' && /^(ArrowLeft|ArrowRight|Home|End)$/.test(key);
}

export function App({ services }: { services: Omit<AppServices, 'openFiles' | 'openFolder'> }) {
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const value: AppServices = {
    ...services,
    openFiles: () => fileInput.current?.click(),
    openFolder: () => folderInput.current?.click(),
  };
  const servicesRef = useRef(value);
  servicesRef.current = value;
  const { editor, actions, controller } = services;
  const lastKeyAction = useRef<{ id: string; at: number } | null>(null);

  // Keyboard: editor-level keys (Space, Alt, Escape) first, then action shortcuts.
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      if (editor.dispatch({ type: 'key_down', key: e.key, code: e.code, alt: e.altKey, ctrl: e.ctrlKey || e.metaKey, shift: e.shiftKey, repeat: e.repeat })) {
        e.preventDefault();
        return;
      }
      if (sliderKey(e.target, e.key)) return;
      const id = actions.handleKey({ key: e.key, code: e.code, mod: e.ctrlKey || e.metaKey, shift: e.shiftKey, alt: e.altKey });
      if (id) {
        e.preventDefault();
        lastKeyAction.current = { id, at: performance.now() };
      }
    };
    const onKeyUp = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      if (editor.dispatch({ type: 'key_up', key: e.key, code: e.code })) e.preventDefault();
    };
    const onBlur = () => editor.dispatch({ type: 'blur' });
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
    };
  }, [editor, actions]);

  // Native menu → the same actions.
  useEffect(
    () =>
      controller.api.on('menu:command', ({ command }) => {
        // A menu accelerator that the page also saw as a key press must not run twice (e.g. Ctrl+Z).
        const last = lastKeyAction.current;
        if (last && last.id === command && performance.now() - last.at < 250) return;
        if (!actions.run(command) && !actions.get(command)) editor.toast(`Unknown menu command: ${command}`);
      }),
    [controller, actions, editor],
  );

  // Save pending work when the window goes away.
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (editor.state.save === 'unsaved' || controller.hasPendingSave) {
        void controller.flushSave();
        e.preventDefault();
      }
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [editor, controller]);

  const onFiles = async (input: HTMLInputElement) => {
    const list = input.files;
    if (!list || list.length === 0) return;
    const files = await readFiles(list);
    input.value = '';
    await controller.importFiles(files);
  };

  return (
    <ServicesContext.Provider value={value}>
      <div
        className="app"
        onDragOver={(e) => {
          if (e.dataTransfer.types.includes('Files')) e.preventDefault();
        }}
        onDrop={(e) => {
          e.preventDefault();
          if (e.dataTransfer.files.length > 0) void readFiles(e.dataTransfer.files).then((f) => controller.importFiles(f));
        }}
      >
        <Toolbar />
        <ImageList />
        <main className="stage-area">
          <CanvasView />
          <CompareView />
        </main>
        <SidePanel />
        <StatusBar />
        <Toasts />
        <input ref={fileInput} type="file" multiple accept={ACCEPT} data-testid="open-input" className="hidden-input" aria-label="Open images" onChange={(e) => void onFiles(e.currentTarget)} />
        <input
          ref={(el) => {
            folderInput.current = el;
            el?.setAttribute('webkitdirectory', '');
          }}
          type="file"
          multiple
          data-testid="open-folder-input"
          className="hidden-input"
          aria-label="Open folder"
          onChange={(e) => void onFiles(e.currentTarget)}
        />
      </div>
    </ServicesContext.Provider>
  );
}
