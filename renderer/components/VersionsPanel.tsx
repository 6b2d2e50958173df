/**
 * Model versions, oldest first: name, date, parent and what fine-tuning measured (validation F1 before →
 * after). "Use" switches the version predictions use (a roll back is selecting an older one; nothing is
 * deleted); "Compare" shows the open image predicted by the selected version and by that one.
 */
import type { ModelVersion } from '../../preload/contract';
import { useEditorState, useServices } from './hooks';

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function Measured({ v }: { v: ModelVersion }) {
  if (v.builtin) return <span className="muted-inline">bundled model</span>;
  if (!v.before || !v.after) return <span className="muted-inline">{v.trainedOn.length} image(s), no hold-out</span>;
  const better = v.after.f1 - v.before.f1;
  return (
    <span className={better > 0 ? 'gain' : better < 0 ? 'loss' : 'muted-inline'} title={`AUC ${v.before.auc.toFixed(3)} → ${v.after.auc.toFixed(3)} on ${v.validationImage}`}>
      F1 {v.before.f1.toFixed(3)} → {v.after.f1.toFixed(3)}
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
  const names = new Map(versions.map((v) => [v.id, v.name] as const));
  return (
    <section className="versions" data-testid="versions-panel" aria-label="Model versions">
      <h2>Model versions</h2>
      {versions.length === 0 && <p className="muted">No model yet.</p>}
      <ul role="listbox" aria-label="Model versions">
        {[...versions].reverse().map((v) => {
          const isSelected = v.id === selected;
          return (
            <li key={v.id} role="option" aria-selected={isSelected} data-testid="version-item" data-id={v.id} className={`version ${isSelected ? 'selected' : ''} ${v.intact ? '' : 'damaged'}`}>
              <div className="row-between">
                <strong>{v.name}</strong>
                {isSelected && <span className="badge">in use</span>}
              </div>
              <div className="meta">
                {when(v.createdAt)}
                {v.parent ? ` · from ${names.get(v.parent) ?? v.parent}` : ''}
              </div>
              <div className="meta">
                <Measured v={v} />
              </div>
              {!v.intact && <div className="meta bad">Damaged: {v.problem}</div>}
              {!isSelected && (
                <div className="actions">
                  <button type="button" className="btn small" data-testid="version-select" disabled={running || !v.intact || predicting} onClick={() => void controller.models.select(v.id)}>
                    Use
                  </button>
                  <button type="button" className="btn small" data-testid="version-compare" disabled={!hasImage || !v.intact || !selected} onClick={() => void controller.models.compare(v.id)}>
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
