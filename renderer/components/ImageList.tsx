import { useEffect, useRef } from 'react';
import { useEditorState, useServices } from './hooks';
import { ActionButton } from './Toolbar';

const STATUS_LABEL = { new: 'New', predicted: 'Predicted', corrected: 'Corrected' } as const;

/** The badge text: a prediction in progress or waiting in "Predict all" wins over the stored status. */
function badge(id: string, status: keyof typeof STATUS_LABEL, predictingId: string | null, inBatch: string | undefined): string {
  if (predictingId === id) return 'Predicting…';
  if (inBatch === 'queued') return 'Queued';
  if (inBatch === 'failed') return 'Failed';
  return STATUS_LABEL[status];
}

export function ImageList() {
  const { controller } = useServices();
  const images = useEditorState((s) => s.images);
  const currentId = useEditorState((s) => s.currentId);
  const thumbs = useEditorState((s) => s.thumbnails);
  const predictingId = useEditorState((s) => s.predicting?.imageId ?? null);
  const batch = useEditorState((s) => s.batch);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    const el = listRef.current?.querySelector('[aria-selected="true"]');
    el?.scrollIntoView({ block: 'nearest' });
  }, [currentId]);

  return (
    <nav className="image-list" aria-label="Images">
      <h2>
        Images <span className="count">{images.length}</span>
        <ActionButton action="predict-all" className="small">
          Predict all
        </ActionButton>
      </h2>
      {batch && !batch.cancelled && batch.done + batch.failed < batch.ids.length && (
        <div className="batch">
          <div
            className="progress"
            data-testid="batch-progress"
            role="progressbar"
            aria-label="Predict all"
            aria-valuemin={0}
            aria-valuemax={batch.ids.length}
            aria-valuenow={batch.done + batch.failed}
          >
            <div className="bar" style={{ width: `${Math.max(4, (100 * (batch.done + batch.failed)) / batch.ids.length)}%` }} />
            <span>
              {batch.done + batch.failed} of {batch.ids.length}
              {batch.failed ? ` · ${batch.failed} failed` : ''}
            </span>
          </div>
          <button
            type="button"
            className="btn small"
            data-testid="batch-cancel"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => controller.batch.cancel()}
          >
            Stop
          </button>
        </div>
      )}
      {images.length === 0 && <p className="muted">No images yet. Use Open… or drop files.</p>}
      <ul ref={listRef} role="listbox" aria-label="Images" data-testid="image-list">
        {images.map((im) => (
          <li
            key={im.id}
            role="option"
            aria-selected={im.id === currentId}
            data-testid="image-item"
            data-id={im.id}
            data-status={im.status}
            className={im.id === currentId ? 'selected' : ''}
            onClick={() => void controller.open(im.id)}
            title={`${im.name} — ${im.width}×${im.height}`}
          >
            <div className="thumb">{thumbs[im.id] ? <img src={thumbs[im.id]} alt="" /> : <div className="thumb-placeholder" />}</div>
            <div className="meta">
              <div className="name">{im.name}</div>
              <div className="sub">
                <span className={`badge ${im.status} ${batch?.status[im.id] ?? ''}`} data-testid="image-status">
                  {badge(im.id, im.status, predictingId, batch?.status[im.id])}
                </span>
                <span className="dims">
                  {im.width}×{im.height}
                </span>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </nav>
  );
}
