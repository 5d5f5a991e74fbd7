import { FilePicker } from './FilePicker';
import { ParseThreads } from './ParseThreads';
import { SAMPLES, sampleUrl } from './samples';
import { loadSources } from '../app/lens';
import { useLens } from '../../state/store';

export function Landing() {
  const wanted = useLens((s) => s.wantedFiles);
  return (
    <section className="landing" aria-labelledby="landing-title">
      <h1 id="landing-title">See what your Landlock sandboxes denied, and why.</h1>
      {wanted && wanted.length > 0 ? (
        <div className="notice warning" role="status">
          <strong>Drop these files to open this view:</strong>
          <ul>
            {wanted.map((f) => (
              <li key={f.name + f.hash}>
                <code>{f.name}</code> ({f.size.toLocaleString('en-US')} bytes)
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="drop-target">
        <p className="big">Drop audit logs anywhere on this page</p>
        <p>
          audit.log (raw or enriched), rotated <code>.gz</code>, <code>ausearch -i</code> output, dmesg, kern.log / syslog,{' '}
          <code>journalctl -k</code> text or JSON. Several files at once are merged in time order.
        </p>
        <FilePicker label="Choose files…" className="button primary" />
        <p className="muted small">Files are read in this tab by a background worker. Nothing is uploaded.</p>
        <ParseThreads />
      </div>
      <div className="samples">
        <h2>Try a real sample</h2>
        <ul>
          {SAMPLES.map((s, i) => (
            <li key={s.file}>
              <button
                type="button"
                className={i === 0 ? 'button primary' : 'button'}
                onClick={() => void loadSources([{ kind: 'url', url: sampleUrl(s.file), name: s.file }], { carried: { src: `samples/${s.file}` } })}
              >
                {i === 0 ? 'Try a real sample' : s.title}
              </button>
              <span className="muted small">{i === 0 ? `${s.title}: ${s.description}` : s.description}</span>
            </li>
          ))}
        </ul>
      </div>
      <details className="howto">
        <summary>How to get Landlock audit records</summary>
        <p>
          Landlock logs denials on Linux 6.15 and later when audit is enabled. With auditd running, they land in{' '}
          <code>/var/log/audit/audit.log</code>; without it, in the kernel ring buffer (<code>dmesg</code>, <code>journalctl -k</code>).
        </p>
        <p>
          By default a sandbox logs the denials of the program that created it, not of programs it executes afterwards. While debugging,
          call <code>landlock_restrict_self()</code> with <code>LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON</code> to log those too.
        </p>
      </details>
    </section>
  );
}
