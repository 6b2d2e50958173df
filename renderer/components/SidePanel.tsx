import { useEditorState, useServices } from './hooks';
import { MeasurementsPanel } from './MeasurementsPanel';
import { OverlayCheck } from './OverlayCheck';
import { RetrainPanel } from './RetrainPanel';
import { VersionsPanel } from './VersionsPanel';

export function SidePanel() {
  const { editor } = useServices();
  const o = useEditorState((s) => s.overlay);
  const hasPrediction = useEditorState((s) => s.hasPrediction);
  const modelThreshold = useEditorState((s) => s.versions.find((v) => v.id === s.selectedModel)?.threshold ?? null);
  return (
    <aside className="side-panel" aria-label="Measurements, model and overlay settings">
      <MeasurementsPanel />
      <RetrainPanel />
      <VersionsPanel />
      <section>
        <h2>Prediction overlay</h2>
        <UnitSlider
          label="Opacity"
          aria="Overlay opacity"
          testId="opacity"
          value={o.opacity}
          shown={`${Math.round(o.opacity * 100)}%`}
          onChange={(opacity) => editor.setOverlay({ opacity })}
        />
        <UnitSlider
          label="Threshold"
          aria="Probability threshold"
          testId="threshold"
          value={o.threshold}
          shown={o.threshold.toFixed(2)}
          onChange={(threshold) => editor.setOverlay({ threshold })}
        />
        {modelThreshold !== null && (
          <p className="hint" data-testid="threshold-note">
            {Math.abs(modelThreshold - o.threshold) < 0.005 ? (
              <>The model’s own threshold ({modelThreshold.toFixed(2)}), the one its scores are measured at.</>
            ) : (
              <>
                The model’s own threshold is {modelThreshold.toFixed(2)}.{' '}
                <button
                  type="button"
                  className="link"
                  data-testid="threshold-reset"
                  onClick={() => editor.setOverlay({ threshold: modelThreshold })}
                >
                  Use it
                </button>
              </>
            )}
          </p>
        )}
        <div className="segmented" role="radiogroup" aria-label="Overlay mode">
          {(['probability', 'binary', 'uncertainty'] as const).map((m) => (
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
              {m === 'probability' ? 'Probability' : m === 'binary' ? 'Binary' : 'Unsure'}
            </button>
          ))}
        </div>
        {!hasPrediction && <p className="muted">No prediction for this image yet.</p>}
      </section>
      <section>
        <h2>Layers</h2>
        <OverlayCheck flag="showPrediction" testId="show-prediction" swatch="pred" kbd="O">
          Prediction
        </OverlayCheck>
        <p className="hint">Where no one has decided. Painted and erased pixels show the label instead.</p>
        <OverlayCheck flag="showLabel" testId="show-label" swatch="label" kbd="L">
          Label
        </OverlayCheck>
        <p className="hint">Vessel a person decided (all of it once the image is reviewed).</p>
        <OverlayCheck flag="showFov" testId="show-fov" swatch="fov">
          Field of view
        </OverlayCheck>
        <OverlayCheck flag="diff" testId="toggle-diff" kbd="D">
          Diff view
        </OverlayCheck>
        {o.diff && (
          <ul className="legend">
            <li>
              <span className="swatch fp" /> False positive (predicted only)
            </li>
            <li>
              <span className="swatch fn" /> False negative (label only)
            </li>
            <li>
              <span className="swatch tp" /> Agreement
            </li>
          </ul>
        )}
      </section>
      <section className="help">
        <h2>Shortcuts</h2>
        <dl>
          <dt>B / E / H</dt>
          <dd>Brush / eraser / pan</dd>
          <dt>Alt (hold)</dt>
          <dd>Erase with the brush</dd>
          <dt>Space (hold)</dt>
          <dd>Pan (or middle button)</dd>
          <dt>[ ]</dt>
          <dd>Brush size</dd>
          <dt>Wheel, + −, 0</dt>
          <dd>Zoom at cursor, fit</dd>
          <dt>Ctrl+Z</dt>
          <dd>Undo</dd>
          <dt>Ctrl+Shift+Z, Ctrl+Y</dt>
          <dd>Redo</dd>
          <dt>Esc</dt>
          <dd>Cancel stroke</dd>
          <dt>↑ ↓</dt>
          <dd>Previous / next image</dd>
          <dt>R</dt>
          <dd>Reviewed: the whole label is right</dd>
          <dt>N</dt>
          <dd>Next unsure region</dd>
          <dt>X</dt>
          <dd>Leave out of retraining</dd>
          <dt>Delete</dt>
          <dd>Delete image (undo in the message)</dd>
          <dt>M</dt>
          <dd>Probability / binary / unsure overlay</dd>
          <dt>Shift+A</dt>
          <dd>Prediction for undecided pixels</dd>
          <dt>Shift+R</dt>
          <dd>Re-run prediction</dd>
        </dl>
      </section>
    </aside>
  );
}

/** A 0..1 setting as a 0..100 range input with its value shown beside it. */
function UnitSlider(p: { label: string; aria: string; testId: string; value: number; shown: string; onChange: (v: number) => void }) {
  return (
    <label className="row">
      <span>{p.label}</span>
      <input
        type="range"
        min={0}
        max={100}
        value={Math.round(p.value * 100)}
        data-testid={p.testId}
        aria-label={p.aria}
        onChange={(e) => p.onChange(Number(e.target.value) / 100)}
      />
      <output>{p.shown}</output>
    </label>
  );
}
