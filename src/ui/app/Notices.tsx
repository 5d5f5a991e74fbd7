import { useLens } from '../../state/store';

export function Notices() {
  const notices = useLens((s) => s.notices);
  const dismiss = useLens((s) => s.dismiss);
  if (!notices.length) return null;
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.level}`}>
          <div>
            <p>{n.text}</p>
            {n.details && (
              <ul>
                {n.details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            )}
          </div>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
