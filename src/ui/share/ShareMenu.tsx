import { useEffect, useId, useRef, useState } from 'react';
import { useLens } from '../../state/store';
import type { PackedRecords } from '../../query/queries';
import { useEngine } from '../app/engine';
import { currentLink } from '../app/useUrlState';
import { bytes, count, plural } from '../common/format';
import { Text } from '../common/Text';

/** Links above this size get cut by chat and ticket tools. */
export const MAX_LINK_CHARS = 32 * 1024;

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function CopyField({ value, label, testId }: { value: string; label: string; testId: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  return (
    <div className="copy-field">
      <label htmlFor={id} className="small muted">
        {label} ({bytes(value.length)})
      </label>
      <div className="row">
        <input id={id} ref={input} readOnly value={value} data-testid={testId} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="button primary"
          onClick={async () => {
            const ok = await copy(value);
            if (!ok) input.current?.select();
            setState(ok ? 'copied' : 'failed');
          }}
        >
          {state === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {state === 'failed' && <p className="small">Copying was not allowed here: the link is selected, press Ctrl+C.</p>}
    </div>
  );
}

export function ShareMenu() {
  const engine = useEngine();
  const [open, setOpen] = useState(false);
  const view = useLens((s) => s.view);
  const files = useLens((s) => s.files);
  const server = useLens((s) => s.server);
  const status = useLens((s) => s.status);
  const [redact, setRedact] = useState(true);
  const [packed, setPacked] = useState<PackedRecords | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    setPacked(null);
  }, [view.filter, redact]);
  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('button, input')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (!panel.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onClick);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onClick);
    };
  }, [open]);
  if (files.length === 0 || status === 'loading') return null;
  const link = currentLink(view, files);
  const pack = async () => {
    setBusy(true);
    setError(null);
    try {
      setPacked(await engine.query('pack', { filter: view.filter, redact, maxChars: MAX_LINK_CHARS }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const dataLink = packed?.packed ? currentLink(view, files, { data: packed.packed }) : null;
  return (
    <div className="share">
      <button ref={button} type="button" className="button" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)}>
        Share
      </button>
      {open && (
        <div ref={panel} className="share-panel" role="dialog" aria-label="Share this view">
          <h2>Share this view</h2>
          <p className="small muted">
            {server
              ? `The link holds the filters, the selection and the view, and names the source (${server.name}); whoever can open this server sees the same view.`
              : 'The link holds the filters, the selection and the view, in the part after # that browsers never send to a server. It names the files it was made from; whoever opens it drops the same files to see the same view.'}
          </p>
          <CopyField value={link} label="Link to this view" testId="share-link" />
          <h3>Share with data</h3>
          <p className="small muted">
            Pack the denials that match the filter into the link itself, so the recipient needs no file. The link says how many denials the whole log
            held, so the recipient sees a part, not the whole. Suits a small selection: links stop at {bytes(MAX_LINK_CHARS)}.
          </p>
          <label className="check">
            <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} /> Replace people's names (home and runtime directories,
            users of non-system uids, wherever those names appear) and host names with pseudonyms; root and system accounts stay
          </label>
          <div className="row">
            <button type="button" className="button" onClick={() => void pack()} disabled={busy}>
              {busy ? 'Packing…' : 'Create link with data'}
            </button>
          </div>
          {error && <p className="notice error">{error}</p>}
          {packed && packed.records === 0 && <p className="notice warning">Nothing matches the filter: there is nothing to pack.</p>}
          {packed && packed.records > 0 && !packed.packed && (
            <p className="notice warning" data-testid="share-too-large">
              {packed.truncated
                ? `More denials match than a link can carry (over ${count(packed.events)} events).`
                : `The ${plural(packed.events, 'matching event')} pack into ${bytes(packed.chars)}, above the ${bytes(MAX_LINK_CHARS)} that chat and ticket tools keep intact.`}{' '}
              Narrow the filter (one domain, one program or a time range) and try again, or share the plain link and the log file.
            </p>
          )}
          {dataLink && packed && (
            <>
              <CopyField value={dataLink} label={`Link with ${plural(packed.records, 'record')} of ${plural(packed.events, 'event')}`} testId="share-data-link" />
              {packed.replaced.length > 0 && (
                <details className="small">
                  <summary>{plural(packed.replaced.length, 'name')} replaced</summary>
                  <ul>
                    {packed.replaced.map(([from, to]) => (
                      <li key={from}>
                        <Text value={from} className="mono" /> → <span className="mono">{to}</span>
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}
