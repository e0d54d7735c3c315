import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ParamDef, ParamValue, Source } from '../../../src-shared/catalog';
import { actionById, matchesKeys, type ActionContext } from '../actions';
import { useStudio } from '../context';
import { displayValue, formatParamValue, formatRange, inputHint, parseParamInput, unitInText } from '../../../src-shared/catalog/paramField';

const TAG_NAMES: Record<Source['tag'], string> = {
  V: 'Verified in a public source',
  M: 'Measured',
  E: 'Estimate',
};

/** The V / M / E badge of a default's provenance, with its reference as tooltip. */
export function SourceTag({ source }: { source: Source }) {
  return (
    <span className={`src-tag src-${source.tag}`} title={`${TAG_NAMES[source.tag]}: ${source.ref}`} aria-label={`${TAG_NAMES[source.tag]}: ${source.ref}`}>
      {source.tag}
    </span>
  );
}

/**
 * The text typed into a field committed on Enter or on leaving it, and what the field shows. `draft` is null while
 * the user has typed nothing since the field last showed `shown` (the design's value as text): the field then shows
 * `shown`. Invariant: a draft belongs to the value it was typed over — when the value changes underneath it (undo,
 * redo, a sweep, another edit) the draft is dropped for good (it does not come back with the value, say on a redo),
 * and typing the shown text back counts as nothing typed. So leaving a field that shows the design's value commits
 * nothing.
 */
export function useFieldDraft(value: unknown, shown: string): { draft: string | null; setDraft(text: string | null): void } {
  const [state, setState] = useState<{ text: string; over: unknown } | null>(null);
  const stale = state !== null && !Object.is(state.over, value);
  // Adjusting state while rendering (React's pattern for "reset when a prop changes"): no frame shows the stale text.
  if (stale) setState(null);
  return {
    draft: state === null || stale ? null : state.text,
    setDraft: (text) => setState(text === null || text === shown ? null : { text, over: value }),
  };
}

/**
 * Undo and redo (their shortcuts, as declared in `ACTIONS`) pressed in a field where nothing is typed: the design's,
 * as anywhere else. The window's shortcuts leave fields alone (`inInputs`), so that the browser undoes typing; but in
 * a field showing the design's value there is no typing to undo, and the browser's text undo would bring back the
 * text of before the last commit — shown as typed, committed again on leaving — instead of undoing that commit.
 * Returns whether the key was handled (and its default prevented, so the window's handler skips it too).
 */
export function designHistoryKey(e: KeyboardEvent, ctx: ActionContext): boolean {
  for (const id of ['undo', 'redo']) {
    const action = actionById(id);
    if (action.keys.some((k) => matchesKeys(e, k))) {
      e.preventDefault();
      action.perform(ctx);
      return true;
    }
  }
  return false;
}

export interface ValueFieldProps {
  def: ParamDef;
  /** The effective value (explicit or default). */
  value: ParamValue | undefined;
  /** The default and its source; absent for required values without a default. */
  fallback?: { value: ParamValue; source: Source };
  /** Whether the value is set explicitly (so it can be reset). */
  isSet: boolean;
  inputId: string;
  onCommit(v: ParamValue): void;
  onReset?(): void;
  /** Options of a node reference: id and label. */
  candidates?: readonly { id: string; label: string }[];
  /** Highlighted after a jump from the problems list. */
  flash?: boolean;
  /** What the field belongs to (a node's name), for messages about it elsewhere. */
  owner?: string;
  /** The key a refused value is registered under in the UI's `unapplied` (`paramFieldKey` for a node's parameter). */
  unappliedKey: string;
}

/**
 * One typed field: text with units for numbers (validated as you type; committed on Enter or leaving the field
 * only when valid), a select for options and node references, a checkbox for flags. Shows the default, the
 * range and the source tag, and offers a reset to the default.
 */
export function ValueField({ def, value, fallback, isSet, inputId, onCommit, onReset, candidates, flash, owner, unappliedKey }: ValueFieldProps) {
  const studio = useStudio();
  const { ui } = studio;
  const { draft, setDraft } = useFieldDraft(value, formatParamValue(def, value));
  const parsed = draft === null ? null : parseParamInput(def, draft);
  const error = parsed && !parsed.ok ? parsed.error : undefined;
  // A refused value on screen is not in the design: say so to whoever would act on the design (a run).
  const message = error ? `${owner ? `${owner} › ` : ''}${def.label}: ${error}` : null;
  useEffect(() => {
    if (!message) return;
    ui.getState().setUnapplied(unappliedKey, message);
    return () => ui.getState().setUnapplied(unappliedKey, null);
  }, [ui, message, unappliedKey]);
  // A field that goes away (another node selected) while holding a refused value drops that text: say so, rather
  // than lose it silently (the design keeps its previous value).
  const lastMessage = useRef<string | null>(null);
  lastMessage.current = message;
  useEffect(
    () => () => {
      if (lastMessage.current) ui.getState().toast(`Not applied: ${lastMessage.current} — the field closed with it, so the typed value was dropped.`, { tone: 'error' });
    },
    [ui],
  );

  const commit = (): void => {
    if (draft === null || !parsed) return;
    if (!parsed.ok) return; // stays in the field with its reason; nothing is committed
    setDraft(null);
    if (parsed.value !== value || !isSet) onCommit(parsed.value);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>): void => {
    if (draft === null && designHistoryKey(e, studio)) return;
    if (e.key === 'Enter' && !(e.target instanceof HTMLTextAreaElement)) {
      e.preventDefault();
      commit();
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      setDraft(null);
    }
  };

  // A choice commits at once: nothing is ever typed in it.
  const onSelectKey = (e: KeyboardEvent<HTMLSelectElement>): void => void designHistoryKey(e, studio);

  let control;
  switch (def.type) {
    case 'enum':
      control = (
        <select id={inputId} value={String(value ?? '')} onChange={(e) => onCommit(e.target.value)} onKeyDown={onSelectKey}>
          {def.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'boolean':
      control = (
        <label className="check">
          <input id={inputId} type="checkbox" checked={value === true} onChange={(e) => onCommit(e.target.checked)} />
          <span>{value ? 'Yes' : 'No'}</span>
        </label>
      );
      break;
    case 'nodeRef':
      control = (
        <select id={inputId} value={String(value ?? '')} onChange={(e) => e.target.value && onCommit(e.target.value)} onKeyDown={onSelectKey} className={!value ? 'is-empty' : ''}>
          <option value="">— choose —</option>
          {(candidates ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
          {value && !(candidates ?? []).some((c) => c.id === value) && <option value={String(value)}>{String(value)} (missing)</option>}
        </select>
      );
      break;
    default: {
      const shown = draft ?? formatParamValue(def, value);
      control = (
        <div className={`text-input${error ? ' is-invalid' : ''}`}>
          <input
            id={inputId}
            type="text"
            spellCheck={false}
            autoComplete="off"
            value={shown}
            placeholder={inputHint(def)}
            aria-invalid={!!error}
            aria-describedby={error ? `${inputId}-error` : undefined}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commit}
            onKeyDown={onKey}
          />
          {(def.type === 'number' || def.type === 'integer') && def.unit && !unitInText(def) && <span className="unit">{def.unit}</span>}
        </div>
      );
    }
  }

  const range = formatRange(def);
  return (
    <div className={`field${flash ? ' flash' : ''}`} data-param={def.key}>
      <div className="field-head">
        <label htmlFor={inputId} title={def.description}>
          {def.label}
        </label>
        {isSet && <span className="set-dot" title="Set in this design (not the default)" />}
        <span className="spacer" />
        {fallback && <SourceTag source={fallback.source} />}
        {onReset && (
          <button type="button" className="icon-btn small" onClick={onReset} disabled={!isSet} title={isSet ? `Reset to the default (${displayValue(def, fallback?.value)})` : 'Using the default'} aria-label={`Reset ${def.label} to default`}>
            ↺
          </button>
        )}
      </div>
      {control}
      {error ? (
        <div className="field-error" id={`${inputId}-error`} role="alert">
          {error}
          <span className="muted"> — not applied (Esc restores)</span>
        </div>
      ) : (
        <div className="field-meta">
          {fallback ? <span>default {displayValue(def, fallback.value)}</span> : def.required ? <span>required</span> : null}
          {range && <span>range {range}</span>}
        </div>
      )}
    </div>
  );
}
