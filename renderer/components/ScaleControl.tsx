/**
 * The open image's scale in the status bar: the field-of-view diameter the prediction used and the
 * resampling to the model's working scale. A warning when no FOV edge was found (the image width was
 * assumed); a click lets the user set the diameter by hand, or go back to measuring it.
 */
import { useState } from 'react';
import { useEditorState, useServices } from './hooks';

const SOURCE = {
  fov: 'measured',
  user: 'set by hand',
  'image-width': 'assumed: no FOV edge found',
  calibre: 'estimated from the widest vessels',
} as const;
const BADGE = { fov: '', user: ' (set)', 'image-width': ' ⚠ assumed', calibre: ' (from vessels)' } as const;

export function ScaleControl() {
  const { controller } = useServices();
  const id = useEditorState((s) => s.currentId);
  const image = useEditorState((s) => s.images.find((i) => i.id === s.currentId) ?? null);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  if (!id || !image) return null;
  const scale = image.scale;
  const warn = scale?.source === 'image-width';
  const title = scale
    ? [
        `Field of view ${scale.fovDiameter.toFixed(0)} px across (${SOURCE[scale.source]}).`,
        scale.factor === 1
          ? 'Predicted at full resolution.'
          : `Resampled ×${scale.factor.toFixed(2)} to the model's working scale, then back.`,
        ...(scale.note ? [scale.note] : []),
        'Click to set the diameter by hand.',
      ].join('\n')
    : 'Scale: known after the first prediction. Click to set the field-of-view diameter by hand.';
  // Whole pixels only: "7e" or "1.5e3" are refused, not read as something else.
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  const valid = value >= 16 && value <= 20000;
  if (editing) {
    return (
      <form
        className="scale-edit"
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid) return;
          setEditing(false);
          void controller.setFovDiameter(id, value);
        }}
      >
        <label>
          FOV diameter{' '}
          <input
            data-testid="scale-input"
            type="text"
            inputMode="numeric"
            value={text}
            autoFocus
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
            aria-invalid={!valid}
          />{' '}
          px
        </label>
        <button type="submit" disabled={!valid}>
          Set
        </button>
        <button
          type="button"
          title="Measure the diameter from the field of view again"
          onClick={() => {
            setEditing(false);
            void controller.setFovDiameter(id, null);
          }}
        >
          Auto
        </button>
        <button type="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <button
      type="button"
      data-testid="status-scale"
      className={`scale-info${warn ? ' warn' : ''}`}
      title={title}
      onClick={() => {
        setText(String(Math.round(image.fovDiameter ?? scale?.fovDiameter ?? image.width)));
        setEditing(true);
      }}
    >
      {scale ? `FOV ${scale.fovDiameter.toFixed(0)} px${BADGE[scale.source]} · ×${scale.factor.toFixed(2)}` : 'FOV —'}
    </button>
  );
}
