import { useEffect } from 'react';
import { useEditorState, useServices } from './hooks';

export function Toasts() {
  const { editor } = useServices();
  const toasts = useEditorState((s) => s.toasts);
  // Info messages go away by themselves; errors stay until dismissed.
  useEffect(() => {
    const timers = toasts.filter((t) => t.kind === 'info').map((t) => setTimeout(() => editor.dismissToast(t.id), 5000));
    return () => timers.forEach(clearTimeout);
  }, [toasts, editor]);
  return (
    <div className="toasts" aria-live="assertive">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'} data-testid="toast" data-kind={t.kind}>
          <span className="msg">{t.message}</span>
          {t.action && (
            <button
              type="button"
              className="btn small"
              data-testid="toast-action"
              onClick={() => {
                editor.dismissToast(t.id);
                t.action!.run();
              }}
            >
              {t.action.label}
            </button>
          )}
          <button
            type="button"
            className="dismiss"
            aria-label="Dismiss"
            data-testid="toast-dismiss"
            onClick={() => editor.dismissToast(t.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
