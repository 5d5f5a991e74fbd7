// "Export": the denials of the current filtered view as CSV (safe to open in
// a spreadsheet), JSON, or a Markdown report for a ticket. The worker writes
// the file ('export' query, src/analysis/export.ts); the page saves it with a
// Blob and an <a download>.
//
// Menu button pattern (WAI-ARIA APG): the button opens a role=menu list; Up,
// Down, Home and End move between items, Enter or Space picks one, Escape (or
// Tab, or a click outside) closes it and focus returns to the button.

import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ExportFormat } from '../../analysis/export';
import { useLens } from '../../state/store';
import { useEngine } from '../app/engine';
import { currentLink } from '../app/useUrlState';
import { useQuery } from '../app/useQuery';
import { count } from '../common/format';
import { EXPORT_FORMATS, exportBlobParts, exportFileName } from './export-utils';
import './export-menu.css';

/** Saves text as a file: a Blob, a temporary object URL, a click on an <a download>. */
function saveFile(parts: BlobPart[], name: string, mime: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type: mime }));
  const a = document.createElement('a');
  a.href = url; // code-safety: a blob: URL of a Blob this page just made, never log text
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken the data by the time this runs.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ExportMenu() {
  const engine = useEngine();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [message, setMessage] = useState<{ level: 'error' | 'info'; text: string } | null>(null);
  const filter = useLens((s) => s.view.filter);
  const files = useLens((s) => s.files);
  const status = useLens((s) => s.status);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const menuId = useId();
  // How many denials the file will hold: the filtered count (a zero-row 'rows' answer is cheap).
  const counted = useQuery('rows', open ? { filter, sort: { column: 'time', desc: false }, offset: 0, limit: 0 } : null);
  const n = counted.data?.total;

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    const onDown = (e: globalThis.MouseEvent) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    return () => window.removeEventListener('mousedown', onDown);
  }, [open]);

  // Focus goes to the first item (or the last, when opened with ArrowUp) once the menu is drawn.
  const focusOnOpen = useRef<'first' | 'last'>('first');
  useEffect(() => {
    if (!open) return;
    const all = items();
    (focusOnOpen.current === 'last' ? all[all.length - 1] : all[0])?.focus();
  }, [open]);

  if (files.length === 0 || status === 'loading') return null;

  const run = async (format: ExportFormat) => {
    setBusy(format);
    setMessage(null);
    try {
      const view = useLens.getState().view;
      const res = await engine.query('export', { filter: view.filter, format, permalink: currentLink(view, useLens.getState().files) });
      saveFile(exportBlobParts(res.text, format), exportFileName(res.filename, useLens.getState().files, useLens.getState().view.filter), res.mime);
      setMessage({ level: 'info', text: `Saved ${count(res.rows)} ${res.rows === 1 ? 'denial' : 'denials'} as ${EXPORT_FORMATS.find((f) => f.format === format)!.label}.` });
      close(true);
    } catch (e) {
      setMessage({ level: 'error', text: `The export failed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(null);
    }
  };

  const onButtonKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      focusOnOpen.current = e.key === 'ArrowUp' ? 'last' : 'first';
      if (open) {
        const all = items();
        (e.key === 'ArrowUp' ? all[all.length - 1] : all[0])?.focus();
      } else setOpen(true);
    }
  };

  const onMenuKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const all = items();
    const k = all.indexOf(document.activeElement as HTMLElement);
    let next: HTMLElement | undefined;
    switch (e.key) {
      case 'ArrowDown':
        next = all[(k + 1) % all.length];
        break;
      case 'ArrowUp':
        next = all[(k - 1 + all.length) % all.length];
        break;
      case 'Home':
        next = all[0];
        break;
      case 'End':
        next = all[all.length - 1];
        break;
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        close(true);
        return;
      case 'Tab':
        close(false);
        return;
      default:
        return;
    }
    e.preventDefault();
    next?.focus();
  };

  const countText = n === undefined ? '' : `, ${count(n)} ${n === 1 ? 'denial' : 'denials'}`;

  return (
    <div className="export">
      <button
        ref={button}
        type="button"
        className="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          focusOnOpen.current = 'first';
          setOpen(!open);
        }}
        onKeyDown={onButtonKey}
        data-testid="export-button"
      >
        Export
        <span className="export-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <ul ref={menu} id={menuId} className="export-menu" role="menu" aria-label="Export the denials shown" onKeyDown={onMenuKey} aria-busy={busy !== null || undefined}>
          {EXPORT_FORMATS.map((f) => (
            <li key={f.format} role="none">
              <button
                type="button"
                role="menuitem"
                className="export-item"
                tabIndex={-1}
                aria-disabled={busy !== null || n === 0 || undefined}
                data-testid={`export-${f.format}`}
                onClick={() => {
                  if (busy === null && n !== 0) void run(f.format);
                }}
              >
                <span className="export-label">
                  {f.label}
                  <span className="export-count">{countText}</span>
                </span>
                <span className="export-desc">{busy === f.format ? 'Preparing…' : f.description}</span>
              </button>
            </li>
          ))}
          <li role="none" className="export-note">
            {n === 0 ? 'Nothing matches the filter: there is nothing to export.' : 'Only the denials that match the current filter.'}
          </li>
        </ul>
      )}
      <span className="sr-only" role="status">
        {message?.level === 'info' ? message.text : ''}
      </span>
      {message?.level === 'error' && (
        <p className="export-error" role="alert">
          {message.text}{' '}
          <button type="button" className="link-button" onClick={() => setMessage(null)}>
            Dismiss
          </button>
        </p>
      )}
    </div>
  );
}
