import { useUi, useStudio } from '../context';

/** Transient messages; one placed near the pointer when it explains a refused drop or connection. */
export function Toasts() {
  const { ui } = useStudio();
  const toasts = useUi((s) => s.toasts);
  const anchored = toasts.filter((t) => t.at);
  const stacked = toasts.filter((t) => !t.at);
  return (
    <>
      {anchored.map((t) => (
        <div
          key={t.id}
          className={`toast anchored ${t.tone}`}
          role="alert"
          style={{ left: Math.max(8, Math.min(t.at!.x + 14, window.innerWidth - 380)), top: Math.max(8, Math.min(t.at!.y + 14, window.innerHeight - 120)) }}
          onClick={() => ui.getState().dismissToast(t.id)}
        >
          {t.message}
        </div>
      ))}
      <div className="toast-stack" aria-live="polite">
        {stacked.map((t) => (
          <div key={t.id} className={`toast ${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'} onClick={() => ui.getState().dismissToast(t.id)}>
            {t.message}
          </div>
        ))}
      </div>
    </>
  );
}
