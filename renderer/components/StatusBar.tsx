import { useEditorState } from './hooks';
import { ScaleControl } from './ScaleControl';

const SAVE_TEXT = { saved: 'Saved', saving: 'Saving…', unsaved: 'Unsaved changes', error: 'Save failed' } as const;

export function StatusBar() {
  const backend = useEditorState((s) => s.backend);
  const alive = useEditorState((s) => s.computeAlive);
  const model = useEditorState((s) => s.modelName ?? s.modelId);
  const cursor = useEditorState((s) => s.cursor);
  const save = useEditorState((s) => s.save);
  const hasImage = useEditorState((s) => s.imageSize !== null);
  const size = useEditorState((s) => s.imageSize);
  const tool = useEditorState((s) => s.tool);
  const brush = useEditorState((s) => s.brushSize);
  return (
    <footer className="status-bar">
      <span
        data-testid="status-backend"
        className={`backend ${alive ? 'ok' : 'down'}`}
        title={['Compute backend and device', ...(backend?.notes.length ? ['Not used:', ...backend.notes] : [])].join('\n')}
      >
        <span className="dot" aria-hidden />
        {backend ? `${backend.name} · ${backend.device}` : alive ? 'Compute ready' : 'Compute starting…'}
      </span>
      <span data-testid="status-model" title="Model version">
        Model: {model ?? '—'}
      </span>
      <span data-testid="status-cursor" className="cursor-info">
        {cursor && cursor.inside
          ? `x ${cursor.x}  y ${cursor.y}${cursor.probability !== null ? `  p ${cursor.probability.toFixed(2)}` : ''}${cursor.label ? '  · vessel' : ''}`
          : size
            ? `${size.width}×${size.height}`
            : ''}
      </span>
      {hasImage && <ScaleControl />}
      <span className="tool-info">
        {tool} · {brush}px
      </span>
      <span className="spacer" />
      {hasImage && (
        <span data-testid="status-save" data-state={save} className={`save ${save}`}>
          {SAVE_TEXT[save]}
        </span>
      )}
    </footer>
  );
}
