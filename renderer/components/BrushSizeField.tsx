/**
 * The brush size in pixels as a text field: what is typed is only applied when it is a whole number in
 * range ("7e" or "" never sets a size behind the user's back); while it is not, the field says so, and
 * leaving it puts back the size in use.
 */
import { useEffect, useState } from 'react';
import { MAX_BRUSH, MIN_BRUSH } from '../editor/Editor';
import { useEditorState, useServices } from './hooks';

/** The size typed, or null when it is not a whole number from MIN_BRUSH to MAX_BRUSH. */
export function parseBrushSize(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= MIN_BRUSH && n <= MAX_BRUSH ? n : null;
}

export function BrushSizeField() {
  const { editor } = useServices();
  const size = useEditorState((s) => s.brushSize);
  const [text, setText] = useState(String(size));
  useEffect(() => setText(String(size)), [size]);
  const valid = parseBrushSize(text) !== null;
  return (
    <input
      className={`num ${valid ? '' : 'invalid'}`}
      type="text"
      inputMode="numeric"
      value={text}
      aria-label="Brush size in pixels"
      aria-invalid={!valid}
      title={valid ? `Brush size, ${MIN_BRUSH}–${MAX_BRUSH} px` : `Not a size: type a whole number from ${MIN_BRUSH} to ${MAX_BRUSH}`}
      data-testid="brush-size-value"
      onChange={(e) => {
        setText(e.target.value);
        const n = parseBrushSize(e.target.value);
        if (n !== null) editor.setBrushSize(n);
      }}
      onBlur={() => setText(String(editor.state.brushSize))}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === 'Escape') (e.target as HTMLInputElement).blur();
      }}
    />
  );
}
