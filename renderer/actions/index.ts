import { acceptPrediction } from './acceptPrediction';
import { exportLabels } from './exportLabels';
import { exportAllMeasurements, exportMeasurements } from './exportMeasurements';
import { nextImage, previousImage } from './navigate';
import { openFolder } from './openFolder';
import { openImage } from './openImage';
import { predictAll } from './predictAll';
import { toggleDiff, toggleLabel, toggleMode, togglePrediction } from './overlay';
import { redo } from './redo';
import { retrain } from './retrain';
import { deleteImage, nextUncertain, toggleExcluded, toggleReviewed } from './review';
import { runPrediction } from './runPrediction';
import { save } from './save';
import { growBrush, selectBrush, selectDisc, selectEraser, selectPan, shrinkBrush } from './tools';
import type { Action, ActionContext, KeyLike } from './types';
import { undo } from './undo';
import { zoomActual, zoomFit, zoomIn, zoomOut } from './zoom';

export const ACTIONS: readonly Action[] = [
  openImage,
  openFolder,
  save,
  exportLabels,
  exportMeasurements,
  exportAllMeasurements,
  undo,
  redo,
  zoomIn,
  zoomOut,
  zoomFit,
  zoomActual,
  toggleDiff,
  toggleMode,
  togglePrediction,
  toggleLabel,
  nextImage,
  previousImage,
  acceptPrediction,
  toggleReviewed,
  toggleExcluded,
  deleteImage,
  nextUncertain,
  runPrediction,
  predictAll,
  retrain,
  selectBrush,
  selectEraser,
  selectPan,
  selectDisc,
  growBrush,
  shrinkBrush,
];

/** Runs actions by id (toolbar, native menu) or by key (shortcuts). */
export class ActionManager {
  private byId = new Map(ACTIONS.map((a) => [a.id, a] as const));

  constructor(private readonly ctx: ActionContext) {}

  get(id: string): Action | undefined {
    return this.byId.get(id);
  }

  isEnabled(id: string): boolean {
    const a = this.byId.get(id);
    return !!a && (a.enabled ? a.enabled(this.ctx) : true);
  }

  run(id: string): boolean {
    const a = this.byId.get(id);
    if (!a || (a.enabled && !a.enabled(this.ctx))) return false;
    void Promise.resolve(a.perform(this.ctx)).catch((e: unknown) =>
      this.ctx.editor.toast(`${a.label}: ${e instanceof Error ? e.message : String(e)}`),
    );
    return true;
  }

  /** Finds the action for a key press; returns its id when one ran (or matched but was disabled). */
  handleKey(e: KeyLike): string | null {
    for (const a of ACTIONS) {
      if (a.keyTest && a.keyTest(e)) {
        this.run(a.id);
        return a.id;
      }
    }
    return null;
  }
}

export type { Action, ActionContext, KeyLike };
