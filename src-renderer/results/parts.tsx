/** Small building blocks of the results views: cards, empty / loading / error states, toggles. */
import type { ReactNode } from 'react';

export function Card({ title, subtitle, actions, children, className, testId }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; testId?: string }) {
  return (
    <section className={`rcard${className ? ` ${className}` : ''}`} data-testid={testId}>
      <header className="rcard-head">
        <div className="rcard-titles">
          <h4>{title}</h4>
          {subtitle && <p className="rcard-sub muted">{subtitle}</p>}
        </div>
        {actions && <div className="rcard-actions">{actions}</div>}
      </header>
      <div className="rcard-body">{children}</div>
    </section>
  );
}

export function EmptyState({ title, children, icon = '◌' }: { title: string; children?: ReactNode; icon?: string }) {
  return (
    <div className="rv-empty" role="status">
      <div className="rv-empty-icon" aria-hidden>
        {icon}
      </div>
      <p className="rv-empty-title">{title}</p>
      {children && <div className="rv-empty-body muted">{children}</div>}
    </div>
  );
}

export function Loading({ label = 'Loading…', height = 120 }: { label?: string; height?: number }) {
  return (
    <div className="rv-loading" style={{ minHeight: height }} role="status" aria-live="polite">
      <span className="spinner" aria-hidden />
      <span className="muted">{label}</span>
    </div>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="rv-error" role="alert">
      <span className="sev-icon error" aria-hidden>
        ✕
      </span>
      <span className="rv-error-msg">{message}</span>
      {onRetry && (
        <button className="btn" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** A two-or-more-way toggle (`linear | log`). */
export function Segmented<T extends string>({ value, options, onChange, label }: { value: T; options: readonly { value: T; label: string; title?: string }[]; onChange: (v: T) => void; label: string }) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <button key={o.value} type="button" role="radio" aria-checked={value === o.value} className={value === o.value ? 'active' : ''} onClick={() => onChange(o.value)} title={o.title}>
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** A labelled select. */
export function Picker<T extends string>({ label, value, options, onChange, width, disabled, title }: { label: string; value: T; options: readonly { value: T; label: string }[]; onChange: (v: T) => void; width?: number; disabled?: boolean; title?: string }) {
  return (
    <label className="picker" title={title}>
      <span className="picker-label muted">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as T)} style={width ? { maxWidth: width } : undefined} disabled={disabled}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Plot width for cards laid out in `columns` columns across `total` px. */
export function cardWidth(total: number, columns: number): number {
  const gap = 12;
  const pad = 26; // card padding + border
  return Math.max(220, Math.floor((total - gap * (columns - 1)) / columns) - pad);
}

/** Columns for a grid of charts: 2 when there is room for two readable charts. */
export function columnsFor(total: number, min = 520): number {
  return total >= min * 2 + 12 ? 2 : 1;
}
