/**
 * The application menu. Items send 'menu:command' to the renderer, which performs them. The renderer
 * also owns the matching keyboard shortcuts (they must work in the browser shell too), so those items
 * show their accelerator without registering it: one key press, one action.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../preload/names';

export function buildMenu(send: (command: MenuCommand) => void): Menu {
  const mac = process.platform === 'darwin';
  const item = (label: string, command: MenuCommand, accelerator: string, rendererKey: boolean): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator: !rendererKey,
    click: () => send(command),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        item('Open Image…', 'open-image', 'CmdOrCtrl+O', false),
        item('Open Folder…', 'open-folder', 'CmdOrCtrl+Shift+O', false),
        { type: 'separator' },
        item('Save', 'save', 'CmdOrCtrl+S', true),
        item('Export Labels…', 'export-labels', 'CmdOrCtrl+E', false),
        item('Export Measurements of This Image…', 'export-measurements', 'CmdOrCtrl+Shift+E', false),
        { label: 'Export Measurements of All Images…', click: () => send('export-measurements-all') },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        item('Undo', 'undo', 'CmdOrCtrl+Z', true),
        item('Redo', 'redo', mac ? 'Cmd+Shift+Z' : 'Ctrl+Y', true),
        { type: 'separator' },
        // Text fields (image names, numbers) keep the usual clipboard keys.
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        item('Zoom In', 'zoom-in', 'CmdOrCtrl+=', true),
        item('Zoom Out', 'zoom-out', 'CmdOrCtrl+-', true),
        item('Fit to Window', 'zoom-fit', 'CmdOrCtrl+0', true),
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
    {
      label: 'Model',
      // No accelerator: the usual candidates mean something else in browsers, and retraining takes minutes.
      submenu: [
        { label: 'Predict All', click: () => send('predict-all') },
        { label: 'Retrain', click: () => send('retrain') },
      ],
    },
    ...(mac ? [{ role: 'windowMenu' as const }] : []),
  ];
  return Menu.buildFromTemplate(template);
}
