/**
 * The names of every call and event, with no dependencies: the sandboxed preload and the browser
 * WebSocket client need them at runtime but must not bundle zod. contract.ts checks at compile time
 * that its schemas cover exactly these names.
 */
export const CALL_NAMES = [
  'workspace:get',
  'images:import',
  'images:delete',
  'images:restore',
  'images:setExcluded',
  'images:photo',
  'images:label',
  'images:saveLabel',
  'images:prediction',
  'images:fov',
  'predict:run',
  'compute:cancel',
  'compute:status',
  'models:select',
  'models:list',
  'models:compare',
  'retrain:start',
  'retrain:estimate',
  'retrain:cancel',
  'retrain:status',
  'images:setReference',
  'images:setFovDiameter',
  'view:save',
  'labels:export',
  'measure:run',
  'analysis:setImage',
  'analysis:setDefaults',
  'measure:export',
] as const;

export const EVENT_NAMES = [
  'compute:progress',
  'compute:crashed',
  'compute:ready',
  'workspace:changed',
  'images:labelSaved',
  'workspace:notice',
  'menu:command',
  'retrain:started',
  'retrain:progress',
  'retrain:validation',
  'retrain:done',
  'retrain:failed',
] as const;

/** What the application menu asks the renderer to do; the renderer owns the matching keyboard shortcuts. */
export const MENU_COMMANDS = [
  'open-image',
  'open-folder',
  'save',
  'export-labels',
  'undo',
  'redo',
  'zoom-in',
  'zoom-out',
  'zoom-fit',
  'retrain',
  'predict-all',
  'export-measurements',
  'export-measurements-all',
] as const;

export type CallNameList = (typeof CALL_NAMES)[number];
export type EventNameList = (typeof EVENT_NAMES)[number];
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** The Electron IPC channel that carries events from main to the renderer. */
export const EVENT_CHANNEL = 'vessel:event';

/** Every call answers with this envelope so errors reach the UI as plain messages, not wrapped IPC errors. */
export type CallOutcome<T = unknown> = { ok: true; value: T } | { ok: false; error: string };
