/**
 * Model versions, newest first: name, date, parent, its threshold and what fine-tuning measured on the
 * held-out pixels (F1 and AUC before → after, each model at its own threshold, how much of it a person
 * decided, and the command that recomputes the numbers). "Use" switches the version predictions use (a
 * roll back is selecting an older one; a version that was not selected because it was not better can
 * still be); "Compare" shows the open image predicted by the selected version and by that one.
 */
import type { ModelVersion } from '../../preload/contract';
import { heldOutNumbers, reproduceCommand } from './heldOut';
import { useEditorState, useServices } from './hooks';

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function Measured({ v, workspace }: { v: ModelVersion; workspace: string }) {
  if (v.builtin) return <span className="muted-inline">bundled model · threshold {v.threshold.toFixed(2)}</span>;
  const val = v.validation;
  if (!val)
    return (
      <span className="muted-inline">
        {v.trainedOn.length} image(s), nothing held out to measure it · threshold {v.threshold.toFixed(2)}
      </span>
    );
  return (
    <span
      className={val.improved ? 'gain' : 'loss'}
      data-testid="version-measured"
      title={`Held-out pixels scored: ${val.pixels.toLocaleString()}. Reproduce: ${reproduceCommand(val, `${workspace}/models/${v.id}`, workspace)}`}
    >
      {val.improved ? '' : 'Not better: '}
      {heldOutNumbers(val)}
    </span>
  );
}

export function VersionsPanel() {
  const { controller } = useServices();
  const versions = useEditorState((s) => s.versions);
  const selected = useEditorState((s) => s.selectedModel);
  const running = useEditorState((s) => s.retrain?.outcome.state === 'running');
  const hasImage = useEditorState((s) => s.imageSize !== null);
  const predicting = useEditorState((s) => s.predicting !== null);
  const workspace = useEditorState((s) => s.workspacePath);
  const names = new Map(versions.map((v) => [v.id, v.name] as const));
  return (
    <section className="versions" data-testid="versions-panel" aria-label="Model versions">
      <h2>Model versions</h2>
      {versions.length === 0 && <p className="muted">No model yet.</p>}
      <ul role="listbox" aria-label="Model versions">
        {[...versions].reverse().map((v) => {
          const isSelected = v.id === selected;
          return (
            <li
              key={v.id}
              role="option"
              aria-selected={isSelected}
              data-testid="version-item"
              data-id={v.id}
              className={`version ${isSelected ? 'selected' : ''} ${v.intact ? '' : 'damaged'}`}
            >
              <div className="row-between">
                <strong>{v.name}</strong>
                {isSelected && <span className="badge">in use</span>}
              </div>
              <div className="meta">
                {when(v.createdAt)}
                {v.parent ? ` · from ${names.get(v.parent) ?? v.parent}` : ''}
              </div>
              <div className="meta">
                <Measured v={v} workspace={workspace ?? '<workspace>'} />
              </div>
              {!v.intact && <div className="meta bad">Damaged: {v.problem}</div>}
              {!isSelected && (
                <div className="actions">
                  <button
                    type="button"
                    className="btn small"
                    data-testid="version-select"
                    disabled={running || !v.intact || predicting}
                    onClick={() => void controller.models.select(v.id)}
                  >
                    Use
                  </button>
                  <button
                    type="button"
                    className="btn small"
                    data-testid="version-compare"
                    disabled={!hasImage || !v.intact || !selected}
                    onClick={() => void controller.models.compare(v.id)}
                  >
                    Compare
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
