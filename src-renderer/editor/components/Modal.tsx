import type { ReactNode } from 'react';

/**
 * A modal dialog's frame: the dimmed overlay, the dialog box, Escape to close and Ctrl/⌘+Enter for the dialog's
 * main action (when it has one and it is allowed now).
 */
export function Modal({ titleId, className, testId, onClose, onSubmit, children }: { titleId: string; className?: string; testId?: string; onClose: () => void; onSubmit?: () => void; children: ReactNode }) {
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && onSubmit) onSubmit();
      }}
    >
      <div className={`dialog${className ? ` ${className}` : ''}`} data-testid={testId}>
        {children}
      </div>
    </div>
  );
}
