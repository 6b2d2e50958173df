import { useEffect, useRef } from 'react';
import { useEditorState, useServices } from './hooks';

const STATUS_LABEL = { new: 'New', predicted: 'Predicted', corrected: 'Corrected' } as const;

export function ImageList() {
  const { controller } = useServices();
  const images = useEditorState((s) => s.images);
  const currentId = useEditorState((s) => s.currentId);
  const thumbs = useEditorState((s) => s.thumbnails);
  const predictingId = useEditorState((s) => s.predicting?.imageId ?? null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    const el = listRef.current?.querySelector('[aria-selected="true"]');
    el?.scrollIntoView({ block: 'nearest' });
  }, [currentId]);

  return (
    <nav className="image-list" aria-label="Images">
      <h2>
        Images <span className="count">{images.length}</span>
      </h2>
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
                <span className={`badge ${im.status}`}>{predictingId === im.id ? 'Predicting…' : STATUS_LABEL[im.status]}</span>
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
