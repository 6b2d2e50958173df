import type { Action } from './types';
import { errorMessage } from '../app/error-message';

export const exportLabels: Action = {
  id: 'export-labels',
  label: 'Export labels…',
  perform: async (ctx) => {
    try {
      await ctx.controller.flushSave();
      const r = await ctx.controller.api.call('labels:export', {});
      if (r) ctx.editor.toast(`Exported ${r.count} label${r.count === 1 ? '' : 's'} to ${r.dir}`, 'info');
    } catch (e) {
      ctx.editor.toast(`Export failed: ${errorMessage(e)}`);
    }
  },
};
