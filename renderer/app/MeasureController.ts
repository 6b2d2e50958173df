/**
 * The open image's measurements for the UI: asks main (measure:run) when an image opens, when its label
 * is saved or its prediction arrives, and when a setting changes; keeps only the answer for the image
 * still open; finds the segment under the pointer; saves the disc the user places and the angle of view;
 * exports. No React, no DOM.
 */
import type { AnalysisDefaults, Disc, VesselApi } from '../../preload/contract';
import type { Editor } from '../editor/Editor';
import { SegmentIndex } from '../editor/segment-index';
import { errorMessage } from './error-message';

/** How near (screen px) the pointer must be to a centreline to hover it. */
const HOVER_PX = 6;

export class MeasureController {
  private seq = 0;
  private index: SegmentIndex | null = null;
  private unsubs: (() => void)[] = [];

  constructor(
    private readonly editor: Editor,
    private readonly api: VesselApi,
    private readonly fail: (prefix: string, e: unknown) => void,
  ) {
    this.unsubs.push(
      editor.onDiscEdited((disc) => void this.setImage({ disc })),
      editor.subscribe(() => this.hover()),
    );
  }

  dispose(): void {
    for (const u of this.unsubs) u();
  }

  /** Measures the open image again (or says why it cannot be measured yet). */
  async refresh(): Promise<void> {
    const ed = this.editor;
    const id = ed.state.currentId;
    const seq = ++this.seq;
    if (!id) return;
    const im = ed.state.images.find((i) => i.id === id);
    if (im && !im.hasLabel && !ed.state.hasPrediction) {
      this.index = null;
      ed.setMeasure({
        report: null,
        busy: false,
        message: 'No vessel map yet: predict this image or draw its label.',
        hover: null,
        draft: null,
      });
      return;
    }
    ed.setMeasure({ busy: true });
    try {
      const report = await this.api.call('measure:run', { id });
      if (seq !== this.seq || ed.state.currentId !== id) return;
      this.index = new SegmentIndex(report.segments, report.width);
      ed.setMeasure({ report, busy: false, message: null, hover: null, draft: null });
    } catch (e) {
      if (seq !== this.seq || ed.state.currentId !== id) return;
      this.index = null;
      ed.setMeasure({ report: null, busy: false, message: errorMessage(e), hover: null, draft: null });
    }
  }

  /** The open image's own angle of view and/or disc (null clears it), then measures again. */
  async setImage(patch: { angleOfViewDeg?: number | null; disc?: Disc | null }): Promise<void> {
    const id = this.editor.state.currentId;
    if (!id) return;
    try {
      await this.api.call('analysis:setImage', { id, ...patch });
    } catch (e) {
      this.editor.setMeasure({ draft: null });
      this.fail('Could not save the measurement settings', e);
      return;
    }
    await this.refresh();
  }

  async setDefaults(defaults: AnalysisDefaults): Promise<void> {
    try {
      this.editor.update({ analysisDefaults: await this.api.call('analysis:setDefaults', defaults) });
    } catch (e) {
      this.fail('Could not save the measurement settings', e);
      return;
    }
    await this.refresh();
  }

  async export(scope: 'image' | 'all'): Promise<void> {
    const ed = this.editor;
    try {
      const r = await this.api.call('measure:export', { scope, id: ed.state.currentId ?? undefined });
      if (!r) return;
      const skipped = r.skipped.length > 0 ? `; skipped ${r.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}` : '';
      ed.toast(`Exported the measurements of ${r.images} image${r.images === 1 ? '' : 's'} to ${r.dir}${skipped}`, 'info');
    } catch (e) {
      this.fail('Export failed', e);
    }
  }

  private hover(): void {
    const ed = this.editor;
    const m = ed.state.measure;
    const c = ed.state.pointer;
    let id: number | null = null;
    // Not while placing the disc: the tooltip would cover it.
    if (this.index && c && m.report && ed.state.overlay.showCentrelines && ed.state.interaction === 'idle' && ed.state.tool !== 'disc') {
      const p = ed.screenToImage(c);
      id = this.index.at(p.x, p.y, HOVER_PX / ed.state.view.zoom);
    }
    if (id !== m.hover) ed.setMeasure({ hover: id });
  }
}
