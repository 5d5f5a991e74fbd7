export function App() {
  return (
    <main>
      <h1>Landlock Lens</h1>
      <p>Drop an audit log here.</p>
    </main>
  );
}
