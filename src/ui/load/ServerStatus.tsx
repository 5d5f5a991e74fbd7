import { useLens } from '../../state/store';
import { connectServer } from '../app/server-source';

/** On a page from `landlock-lens serve`: connecting, or why the server could not be read. */
export function ServerStatus() {
  const status = useLens((s) => s.status);
  const error = useLens((s) => s.crash);
  if (status === 'loading') {
    return (
      <section className="loadbar" aria-label="Loading" data-testid="server-connecting">
        <div className="loadbar-text" aria-live="polite">
          Asking the Landlock Lens server what it holds…
        </div>
      </section>
    );
  }
  return (
    <section className="crash" role="alert" data-testid="server-error">
      <h2>The data could not be read from the server</h2>
      <p>{error ?? 'The server did not answer.'}</p>
      <button type="button" className="button primary" onClick={() => void connectServer()}>
        Try again
      </button>
    </section>
  );
}
