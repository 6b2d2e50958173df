import type { Action } from './types';

/** Mask, overlay, CSV and JSON of the open image. */
export const exportMeasurements: Action = {
  id: 'export-measurements',
  label: 'Export measurements of this image',
  enabled: (ctx) => ctx.editor.hasImage,
  perform: async (ctx) => {
    await ctx.controller.flushSave();
    await ctx.controller.measure.export('image');
  },
};

/** The same for every image that has a vessel map. */
export const exportAllMeasurements: Action = {
  id: 'export-measurements-all',
  label: 'Export measurements of all images',
  enabled: (ctx) => ctx.editor.state.images.length > 0,
  perform: async (ctx) => {
    await ctx.controller.flushSave();
    await ctx.controller.measure.export('all');
  },
};
