import type { ReactNode } from 'react';
import { MAX_BRUSH, MIN_BRUSH } from '../editor/Editor';
import type { ToolId } from '../editor/types';
import { useEditorState, useServices } from './hooks';

/** A toolbar button that runs an action and never steals keyboard focus from the canvas. */
export function ActionButton(props: {
  action: string;
  testId?: string;
  children: ReactNode;
  active?: boolean;
  className?: string;
  disabled?: boolean;
}) {
  const { actions } = useServices();
  const a = actions.get(props.action);
  // Re-renders only when `enabled` flips.
  const enabled = useEditorState(() => actions.isEnabled(props.action)) && !props.disabled;
  const title = a ? (a.shortcut ? `${a.label} (${a.shortcut})` : a.label) : props.action;
  return (
    <button
      type="button"
      className={`btn ${props.active ? 'active' : ''} ${props.className ?? ''}`}
      data-testid={props.testId ?? props.action}
      aria-label={a?.label ?? props.action}
      aria-pressed={props.active === undefined ? undefined : props.active}
      title={title}
      disabled={!enabled}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => actions.run(props.action)}
    >
      {props.children}
    </button>
  );
}

const TOOLS: { id: ToolId; label: string; key: string }[] = [
  { id: 'brush', label: 'Brush', key: 'B' },
  { id: 'eraser', label: 'Eraser', key: 'E' },
  { id: 'pan', label: 'Pan', key: 'H' },
];

export function Toolbar() {
  const { editor } = useServices();
  const tool = useEditorState((s) => s.tool);
  const brushSize = useEditorState((s) => s.brushSize);
  const predicting = useEditorState((s) => s.predicting);
  const zoom = useEditorState((s) => s.view.zoom);
  const hasImage = useEditorState((s) => s.imageSize !== null);
  const retraining = useEditorState((s) => s.retrain?.outcome.state === 'running');
  const pct = predicting && predicting.total > 0 ? Math.round((100 * predicting.done) / predicting.total) : 0;
  return (
    <header className="toolbar" role="toolbar" aria-label="Tools">
      <div className="brand">Vessel Studio</div>
      <div className="group">
        <ActionButton action="open-image" testId="open">
          Open…
        </ActionButton>
      </div>
      <div className="group" role="radiogroup" aria-label="Tool">
        {TOOLS.map((t) => (
          <ActionButton key={t.id} action={`tool-${t.id}`} active={tool === t.id} className="tool">
            {t.label} <kbd aria-hidden>{t.key}</kbd>
          </ActionButton>
        ))}
      </div>
      <div className="group brush-size">
        <label htmlFor="brush-size">Size</label>
        <input
          id="brush-size"
          data-testid="brush-size"
          type="range"
          min={MIN_BRUSH}
          max={60}
          value={Math.min(brushSize, 60)}
          onChange={(e) => editor.setBrushSize(Number(e.target.value))}
          aria-label="Brush size"
        />
        <input
          className="num"
          type="number"
          min={MIN_BRUSH}
          max={MAX_BRUSH}
          value={brushSize}
          onChange={(e) => editor.setBrushSize(Number(e.target.value) || 1)}
          aria-label="Brush size in pixels"
          data-testid="brush-size-value"
        />
        <span className="unit">px</span>
      </div>
      <div className="group">
        <ActionButton action="undo">↶ Undo</ActionButton>
        <ActionButton action="redo">↷ Redo</ActionButton>
      </div>
      <div className="group">
        <ActionButton action="accept-prediction">Accept prediction</ActionButton>
        <ActionButton action="predict" className="primary">
          {predicting ? 'Predicting…' : 'Predict'}
        </ActionButton>
        <ActionButton action="retrain" className="primary">
          {retraining ? 'Retraining…' : 'Retrain'}
        </ActionButton>
        {predicting && (
          <div
            className="progress"
            data-testid="predict-progress"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
            title={predicting.message}
          >
            <div className="bar" style={{ width: `${Math.max(4, pct)}%` }} />
            <span>{predicting.total > 1 ? `${pct}%` : predicting.message}</span>
          </div>
        )}
      </div>
      <div className="spacer" />
      <div className="group zoom">
        <ActionButton action="zoom-out">−</ActionButton>
        <span className="zoom-value" data-testid="zoom-value">
          {hasImage ? `${Math.round(zoom * 100)}%` : '—'}
        </span>
        <ActionButton action="zoom-in">+</ActionButton>
        <ActionButton action="zoom-fit">Fit</ActionButton>
      </div>
    </header>
  );
}
