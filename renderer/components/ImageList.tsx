/**
 * The images: thumbnail, name, review state (New, Predicted, Edited with the share decided, Reviewed;
 * Excluded), size and how uncertain the prediction is. Ordered as imported (by name) or most uncertain
 * first; ↑ ↓ follow the order shown.
 */
import { useEffect, useRef } from 'react';
import type { ImageSummary } from '../../preload/contract';
import type { ImageOrder } from '../editor/types';
import { orderedImages } from '../editor/order';
import { useEditorState, useServices } from './hooks';
import { ActionButton } from './Toolbar';

function statusText(im: ImageSummary): string {
  switch (im.status) {
    case 'new':
      return 'New';
    case 'predicted':
      return 'Predicted';
    case 'edited':
      return `Edited ${im.decided !== null && im.decided < 0.001 ? '<0.1' : ((im.decided ?? 0) * 100).toFixed(1)}%`;
    case 'reviewed':
      return 'Reviewed';
  }
}

/** The badge text: a prediction in progress or waiting in "Predict all" wins over the stored status. */
function badge(im: ImageSummary, predictingId: string | null, inBatch: string | undefined): string {
  if (predictingId === im.id) return 'Predicting…';
  if (inBatch === 'queued') return 'Queued';
  if (inBatch === 'failed') return 'Failed';
  return statusText(im);
}

export function ImageList() {
  const { controller, editor } = useServices();
  const images = useEditorState((s) => s.images);
  const order = useEditorState((s) => s.imageOrder);
  const currentId = useEditorState((s) => s.currentId);
  const thumbs = useEditorState((s) => s.thumbnails);
  const predictingId = useEditorState((s) => s.predicting?.imageId ?? null);
  const batch = useEditorState((s) => s.batch);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    const el = listRef.current?.querySelector('[aria-selected="true"]');
    el?.scrollIntoView({ block: 'nearest' });
  }, [currentId, order]);

  return (
    <nav className="image-list" aria-label="Images">
      <h2>
        Images <span className="count">{images.length}</span>
        <ActionButton action="predict-all" className="small">
          Predict all
        </ActionButton>
      </h2>
      {images.length > 1 && (
        <label className="order">
          <span>Order</span>
          <select
            data-testid="image-order"
            value={order}
            onChange={(e) => editor.update({ imageOrder: e.target.value as ImageOrder })}
            title="Most uncertain first: where the prediction is closest to its threshold, a person helps most"
          >
            <option value="imported">as imported</option>
            <option value="uncertainty">most uncertain first</option>
          </select>
        </label>
      )}
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
        {orderedImages(images, order).map((im) => (
          <li
            key={im.id}
            role="option"
            aria-selected={im.id === currentId}
            data-testid="image-item"
            data-id={im.id}
            data-status={im.status}
            data-excluded={im.excluded}
            className={`${im.id === currentId ? 'selected' : ''} ${im.excluded ? 'excluded' : ''}`}
            onClick={() => void controller.open(im.id)}
            title={`${im.name} — ${im.width}×${im.height}${im.uncertainty !== null ? ` — uncertainty ${(100 * im.uncertainty).toFixed(1)}% of the field of view` : ''}`}
          >
            <div className="thumb">{thumbs[im.id] ? <img src={thumbs[im.id]} alt="" /> : <div className="thumb-placeholder" />}</div>
            <div className="meta">
              <div className="name">{im.name}</div>
              <div className="sub">
                <span className={`badge ${im.status} ${batch?.status[im.id] ?? ''}`} data-testid="image-status">
                  {badge(im, predictingId, batch?.status[im.id])}
                </span>
                {im.excluded && <span className="badge excluded">Excluded</span>}
                <span className="dims">
                  {im.width}×{im.height}
                </span>
                {im.uncertainty !== null && (
                  <span className="uncertainty" data-testid="image-uncertainty">
                    {(100 * im.uncertainty).toFixed(1)}% unsure
                  </span>
                )}
              </div>
            </div>
          </li>
        ))}
      </ul>
    </nav>
  );
}
