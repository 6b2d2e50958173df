/**
 * Model versions and retraining for the UI: mirrors main's retrain:* events into editor state (the
 * progress panel draws from it), lists versions, switches between them (re-predicting the open image so
 * the overlay always shows the selected version), and fetches two versions' predictions to compare.
 * No React, no DOM: the Controller hands it the editor, the API, the codec and its own prediction runner.
 */
import type { EventPayload, RetrainState, VesselApi } from '../../preload/contract';
import type { Editor } from '../editor/Editor';
import type { Codec } from './Controller';

export interface ModelsHost {
  /** Re-predicts an image with the selected version and shows it when it is the open one. */
  runPrediction(id?: string | null): Promise<void>;
  /** Writes the label being edited now, so retraining sees the last stroke. */
  flushSave(): Promise<void>;
  fail(prefix: string, e: unknown): void;
}

export class ModelsController {
  private unsubs: (() => void)[] = [];
  /** Answers of models:list older than the latest one asked for are dropped (two refreshes can cross). */
  private listSeq = 0;
  /** Damaged versions the user has been told about (once each; the versions panel keeps showing them). */
  private reportedDamaged = new Set<string>();

  constructor(
    private readonly editor: Editor,
    private readonly api: VesselApi,
    private readonly codec: Codec,
    private readonly host: ModelsHost,
  ) {}

  dispose(): void {
    for (const u of this.unsubs) u();
  }

  async init(): Promise<void> {
    const api = this.api;
    this.unsubs.push(
      api.on('retrain:started', (run) => this.setRetrain({ run, progress: null, loss: [], validation: [], outcome: { state: 'running' } })),
      api.on('retrain:progress', (p) => this.onProgress(p)),
      api.on('retrain:validation', (v) => {
        // The same number the outcome and the version card show for that step (each model at its own threshold).
        const r = this.mine(v.job);
        if (r) this.setRetrain({ ...r, validation: [...r.validation, [v.step, v.f1]] });
      }),
      api.on('retrain:done', (d) => void this.onDone(d)),
      api.on('retrain:failed', (f) => {
        const r = this.mine(f.job);
        if (r) this.setRetrain({ ...r, outcome: { state: 'failed', reason: f.reason, message: f.message } });
        void this.refresh();
      }),
    );
    await this.refresh();
    try {
      const status = await api.call('retrain:status', {});
      // An event may have arrived first; it is newer than this answer.
      if (status && !this.editor.state.retrain) this.setRetrain(status);
    } catch (e) {
      this.host.fail('Retraining status', e);
    }
  }

  /**
   * Re-reads the versions and which one is selected. When the selected version changes, the overlay
   * threshold (and so Accept and a new label's starting point) becomes that version's own threshold.
   */
  async refresh(): Promise<void> {
    const seq = ++this.listSeq;
    try {
      const { versions, selected } = await this.api.call('models:list', {});
      if (seq !== this.listSeq) return;
      const current = versions.find((v) => v.id === selected);
      const changed = selected !== this.editor.state.selectedModel;
      this.editor.update({ versions, selectedModel: selected, ...(current ? { modelName: current.name } : {}) });
      for (const v of versions) {
        if (v.intact || this.reportedDamaged.has(v.id)) continue;
        this.reportedDamaged.add(v.id);
        this.editor.toast(`Model version "${v.name}" is damaged and cannot be used: ${v.problem}`, 'error');
      }
      if (changed && current) this.editor.setOverlay({ threshold: current.threshold });
      // The next run's estimate goes by the latest run's pace.
      const estimate = await this.api.call('retrain:estimate', {});
      if (seq === this.listSeq) this.editor.update({ retrainEstimate: estimate });
    } catch (e) {
      this.host.fail('Could not list the model versions', e);
    }
  }

  get running(): boolean {
    return this.editor.state.retrain?.outcome.state === 'running';
  }

  async startRetrain(): Promise<void> {
    await this.host.flushSave();
    try {
      const run = await this.api.call('retrain:start', {});
      if (this.editor.state.retrain?.run.job !== run.job)
        this.setRetrain({ run, progress: null, loss: [], validation: [], outcome: { state: 'running' } });
    } catch (e) {
      this.host.fail('Retraining could not start', e);
    }
  }

  async cancelRetrain(): Promise<void> {
    try {
      await this.api.call('retrain:cancel', {});
    } catch (e) {
      this.host.fail('Cancel failed', e);
    }
  }

  /** Makes `id` the version predictions use (switching forward or rolling back) and re-predicts the open image. */
  async select(id: string): Promise<void> {
    try {
      await this.api.call('models:select', { id });
    } catch (e) {
      this.host.fail('Could not switch versions', e);
      return;
    }
    await this.refresh();
    await this.host.runPrediction();
  }

  /** Predicts the open image with the selected version and `other`, for the comparison view. */
  async compare(other: string): Promise<void> {
    const ed = this.editor;
    const imageId = ed.state.currentId;
    const a = ed.state.selectedModel;
    if (!imageId || !a) return;
    const threshold = (id: string) => ed.state.versions.find((v) => v.id === id)?.threshold ?? 0.5;
    ed.update({
      compare: {
        imageId,
        a,
        b: other,
        aProb: null,
        bProb: null,
        aThreshold: threshold(a),
        bThreshold: threshold(other),
        width: ed.width,
        height: ed.height,
        mode: 'side-by-side',
      },
    });
    try {
      const r = await this.api.call('models:compare', { imageId, a, b: other });
      const [pa, pb] = await Promise.all([this.codec.decodeChannel(r.a.png), this.codec.decodeChannel(r.b.png)]);
      const c = ed.state.compare;
      if (c && c.imageId === imageId && c.b === other)
        ed.update({
          compare: {
            ...c,
            aProb: pa.data,
            bProb: pb.data,
            aThreshold: r.a.threshold,
            bThreshold: r.b.threshold,
            width: pa.width,
            height: pa.height,
          },
        });
    } catch (e) {
      ed.update({ compare: null });
      this.host.fail('Comparison failed', e);
    }
  }

  setCompareMode(mode: 'side-by-side' | 'difference'): void {
    const c = this.editor.state.compare;
    if (c) this.editor.update({ compare: { ...c, mode } });
  }

  closeCompare(): void {
    this.editor.update({ compare: null });
  }

  private mine(job: string): RetrainState | null {
    const r = this.editor.state.retrain;
    return r && r.run.job === job ? r : null;
  }

  private setRetrain(r: RetrainState): void {
    this.editor.update({ retrain: r });
  }

  private onProgress(p: EventPayload<'retrain:progress'>): void {
    const r = this.mine(p.job);
    if (!r) return;
    const last = r.loss.at(-1);
    // A run has hundreds of points: append in place, publish a new state object.
    if (p.phase === 'training' && p.loss !== null && (!last || p.step > last[0])) r.loss.push([p.step, p.loss]);
    this.setRetrain({ ...r, progress: p });
  }

  /**
   * The versions list is read again before the outcome shows, so the panel never says "done" while the
   * list still shows the old selection; the toast says what the outcome says.
   */
  private async onDone(d: EventPayload<'retrain:done'>): Promise<void> {
    await this.refresh();
    const r = this.mine(d.job);
    if (r) this.setRetrain({ ...r, outcome: { state: 'done', model: d.model, selected: d.selected, message: d.message } });
    this.editor.toast(d.message, d.selected ? 'info' : 'error');
    if (d.selected) await this.host.runPrediction();
  }
}
