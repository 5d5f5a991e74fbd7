export function DetailPanel() {
  return <div className="placeholder">DetailPanel: coming soon</div>;
}
