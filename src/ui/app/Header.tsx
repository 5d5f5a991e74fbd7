import { useLens } from '../../state/store';
import { FilePicker } from '../load/FilePicker';
import { ShareMenu } from '../share/ShareMenu';
import { ExportMenu } from '../share/ExportMenu';
import { clearData } from './lens';
import { bytes } from '../common/format';
import { Text } from '../common/Text';
import { escapeControl } from '../../model/display';
import { uniqueFiles } from '../load/duplicate-files';
import { useMemo } from 'react';
import { CompareButton } from '../compare/CompareButton';

export function Header() {
  const all = useLens((s) => s.files);
  const files = useMemo(() => uniqueFiles(all), [all]);
  const status = useLens((s) => s.status);
  const server = useLens((s) => s.server);
  return (
    <header className="header">
      <div className="brand">
        <svg viewBox="0 0 32 32" width="24" height="24" aria-hidden="true">
          <rect width="32" height="32" rx="6" fill="var(--accent)" />
          <circle cx="14" cy="14" r="7" fill="none" stroke="#fff" strokeWidth="3" />
          <path d="M19 19l7 7" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
        </svg>
        <span>Landlock Lens</span>
      </div>
      {server ? (
        <ul className="file-list" aria-label="Source">
          <li data-testid="server-source" title={`${server.server}: ${files.map((f) => `${f.name} (${bytes(f.size)})`).join(', ') || 'no file ingested yet'}`}>
            {server.name}{' '}
            <span className="muted">
              {server.server} · {files.length === 1 ? '1 file' : `${files.length.toLocaleString('en-US')} files`}
            </span>
          </li>
        </ul>
      ) : files.length > 0 && (
        <ul className="file-list" aria-label="Loaded files">
          {files.map((f, i) => (
            <li key={i} title={`${escapeControl(f.name)}: ${bytes(f.size)}${f.readBytes !== undefined ? `, ${bytes(f.readBytes)} read` : ''}${f.gunzipThread ? ', decompressed on a thread of its own' : ''}${f.ranges ? `, parsed in ${f.ranges} parts side by side` : ''}, fingerprint ${f.hash}`}>
              <Text value={f.name} /> <span className="muted">{bytes(f.size)}{f.readBytes !== undefined && ` (${bytes(f.readBytes)} read)`}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="header-actions">
        {!server && <FilePicker label={files.length ? 'Add logs…' : 'Open logs…'} />}
        {!server && files.length > 0 && status !== 'loading' && (
          <button type="button" className="button" onClick={() => void clearData()}>
            Clear
          </button>
        )}
        <CompareButton />
        <ExportMenu />
        <ShareMenu />
      </div>
    </header>
  );
}
