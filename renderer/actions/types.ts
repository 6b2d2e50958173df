import type { Controller } from '../app/Controller';
import type { Editor } from '../editor/Editor';

/** A key press, platform-neutral: `mod` is Ctrl on Windows/Linux and Cmd on macOS. */
export interface KeyLike {
  key: string;
  code?: string;
  mod: boolean;
  shift: boolean;
  alt: boolean;
}

export interface ActionContext {
  editor: Editor;
  controller: Controller;
  /** UI services only React can provide (file dialogs). */
  ui: { openFiles(): void; openFolder(): void };
}

/** One command (Excalidraw's actions): toolbar buttons, keyboard shortcuts and the native menu run it alike. */
export interface Action {
  id: string;
  label: string;
  /** Human-readable shortcut for tooltips. */
  shortcut?: string;
  keyTest?(e: KeyLike): boolean;
  /** False disables the button / ignores the shortcut. */
  enabled?(ctx: ActionContext): boolean;
  perform(ctx: ActionContext): void | Promise<void>;
}

export const plain = (e: KeyLike) => !e.mod && !e.alt;
export const hasImage = (ctx: ActionContext) => ctx.editor.hasImage;
