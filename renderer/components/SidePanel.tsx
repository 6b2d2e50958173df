import { useEditorState, useServices } from './hooks';
import { RetrainPanel } from './RetrainPanel';
import { VersionsPanel } from './VersionsPanel';

export function SidePanel() {
  const { editor } = useServices();
  const o = useEditorState((s) => s.overlay);
  const hasPrediction = useEditorState((s) => s.hasPrediction);
  return (
    <aside className="side-panel" aria-label="Model and overlay settings">
      <RetrainPanel />
      <VersionsPanel />
      <section>
        <h2>Prediction overlay</h2>
        <label className="row">
          <span>Opacity</span>
          <input
            type="range"
            min={0}
            max={100}
            value={Math.round(o.opacity * 100)}
            data-testid="opacity"
            aria-label="Overlay opacity"
            onChange={(e) => editor.setOverlay({ opacity: Number(e.target.value) / 100 })}
          />
          <output>{Math.round(o.opacity * 100)}%</output>
        </label>
        <label className="row">
          <span>Threshold</span>
          <input
            type="range"
            min={0}
            max={100}
            value={Math.round(o.threshold * 100)}
            data-testid="threshold"
            aria-label="Probability threshold"
            onChange={(e) => editor.setOverlay({ threshold: Number(e.target.value) / 100 })}
          />
          <output>{o.threshold.toFixed(2)}</output>
        </label>
        <div className="segmented" role="radiogroup" aria-label="Overlay mode">
          {(['probability', 'binary'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={o.mode === m}
              className={o.mode === m ? 'active' : ''}
              data-testid={`mode-${m}`}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => editor.setOverlay({ mode: m })}
            >
              {m === 'probability' ? 'Probability' : 'Binary'}
            </button>
          ))}
        </div>
        {!hasPrediction && <p className="muted">No prediction for this image yet.</p>}
      </section>
      <section>
        <h2>Layers</h2>
        <label className="check">
          <input type="checkbox" checked={o.showPrediction} onChange={(e) => editor.setOverlay({ showPrediction: e.target.checked })} data-testid="show-prediction" />
          <span className="swatch pred" /> Prediction <kbd>O</kbd>
        </label>
        <label className="check">
          <input type="checkbox" checked={o.showLabel} onChange={(e) => editor.setOverlay({ showLabel: e.target.checked })} data-testid="show-label" />
          <span className="swatch label" /> Label <kbd>L</kbd>
        </label>
        <label className="check">
          <input type="checkbox" checked={o.showFov} onChange={(e) => editor.setOverlay({ showFov: e.target.checked })} data-testid="show-fov" />
          <span className="swatch fov" /> Field of view
        </label>
        <label className="check">
          <input type="checkbox" checked={o.diff} onChange={(e) => editor.setOverlay({ diff: e.target.checked })} data-testid="toggle-diff" />
          Diff view <kbd>D</kbd>
        </label>
        {o.diff && (
          <ul className="legend">
            <li><span className="swatch fp" /> False positive (predicted only)</li>
            <li><span className="swatch fn" /> False negative (label only)</li>
            <li><span className="swatch tp" /> Agreement</li>
          </ul>
        )}
      </section>
      <section className="help">
        <h2>Shortcuts</h2>
        <dl>
          <dt>B / E / H</dt><dd>Brush / eraser / pan</dd>
          <dt>Alt (hold)</dt><dd>Erase with the brush</dd>
          <dt>Space (hold)</dt><dd>Pan (or middle button)</dd>
          <dt>[ ]</dt><dd>Brush size</dd>
          <dt>Wheel, + −, 0</dt><dd>Zoom at cursor, fit</dd>
          <dt>Ctrl+Z</dt><dd>Undo</dd>
          <dt>Ctrl+Shift+Z, Ctrl+Y</dt><dd>Redo</dd>
          <dt>Esc</dt><dd>Cancel stroke</dd>
          <dt>↑ ↓</dt><dd>Previous / next image</dd>
          <dt>Shift+A</dt><dd>Accept prediction</dd>
          <dt>Shift+R</dt><dd>Re-run prediction</dd>
        </dl>
      </section>
    </aside>
  );
}
