/**
 * "Predict all": predicts, one after another, every image whose stored prediction is missing or was
 * made by another version than the selected one, with a status per image and a count for the progress
 * bar. Cancel lets the prediction in progress finish and starts no other.
 */
import type { Editor } from '../editor/Editor';
import type { BatchState } from '../editor/types';

export interface BatchHost {
  /** Predicts one image with the selected version; true when it worked (failures are reported there). */
  predict(id: string): Promise<boolean>;
}

export class BatchController {
  constructor(
    private readonly editor: Editor,
    private readonly host: BatchHost,
  ) {}

  get running(): boolean {
    const b = this.editor.state.batch;
    return b !== null && !b.cancelled && b.done + b.failed < b.ids.length;
  }

  async predictAll(): Promise<void> {
    const ed = this.editor;
    if (this.running) return;
    const selected = ed.state.selectedModel;
    const ids = ed.state.images.filter((i) => !i.hasPrediction || i.predictionModel !== selected).map((i) => i.id);
    if (ids.length === 0) {
      ed.toast('Every image already has a prediction by the selected model version.', 'info');
      return;
    }
    this.set({ ids, status: Object.fromEntries(ids.map((id) => [id, 'queued'])), done: 0, failed: 0, cancelled: false });
    for (const id of ids) {
      if (ed.state.batch?.cancelled) break;
      this.mark(id, 'running');
      const ok = await this.host.predict(id);
      const b = ed.state.batch!;
      this.set({
        ...b,
        done: b.done + (ok ? 1 : 0),
        failed: b.failed + (ok ? 0 : 1),
        status: { ...b.status, [id]: ok ? 'done' : 'failed' },
      });
    }
    const b = ed.state.batch!;
    ed.toast(
      `Predicted ${b.done} of ${b.ids.length} image${b.ids.length === 1 ? '' : 's'}${b.failed ? `, ${b.failed} failed` : ''}${b.cancelled ? ' (cancelled)' : ''}.`,
      b.failed ? 'error' : 'info',
    );
  }

  cancel(): void {
    const b = this.editor.state.batch;
    if (b && this.running) this.set({ ...b, cancelled: true });
  }

  private mark(id: string, status: BatchState['status'][string]): void {
    const b = this.editor.state.batch!;
    this.set({ ...b, status: { ...b.status, [id]: status } });
  }

  private set(batch: BatchState): void {
    this.editor.update({ batch });
  }
}
