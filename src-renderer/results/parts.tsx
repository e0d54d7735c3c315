/** Small building blocks of the results views: cards, empty / loading / error states, toggles, wide tables. */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

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

/** Which sides of a horizontally scrolling box have content out of sight. */
export function scrollEdges(el: { scrollLeft: number; scrollWidth: number; clientWidth: number }): { left: boolean; right: boolean } {
  return { left: el.scrollLeft > 1, right: el.scrollLeft + el.clientWidth < el.scrollWidth - 1 };
}

/**
 * A table that may be wider than its card: it scrolls sideways, and when columns are out of sight the edge fades
 * and a "more columns" button says so (a hidden or overlay scrollbar alone would leave them silently cut off).
 */
export function TableScroll({ children, className, testId }: { children: ReactNode; className?: string; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [edges, setEdges] = useState({ left: false, right: false });
  const measure = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const e = scrollEdges(el);
    setEdges((old) => (old.left === e.left && old.right === e.right ? old : e));
  }, []);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    if (el.firstElementChild) ro.observe(el.firstElementChild);
    return () => ro.disconnect();
  }, [measure]);
  const scrollBy = (dir: 1 | -1): void => {
    const el = ref.current;
    if (el) el.scrollBy({ left: dir * Math.max(120, el.clientWidth * 0.6), behavior: 'smooth' });
  };
  return (
    <div className={`table-scroll${edges.left ? ' more-left' : ''}${edges.right ? ' more-right' : ''}`} data-testid={testId}>
      <div className={`table-wrap${className ? ` ${className}` : ''}`} ref={ref} onScroll={measure}>
        {children}
      </div>
      {edges.left && (
        <button type="button" className="table-more left" onClick={() => scrollBy(-1)} title="Scroll to the columns on the left" aria-label="Scroll to the columns on the left">
          ‹
        </button>
      )}
      {edges.right && (
        <button type="button" className="table-more right" onClick={() => scrollBy(1)} title="More columns: scroll right (or Shift + wheel)" aria-label="More columns: scroll right">
          ›
        </button>
      )}
    </div>
  );
}
