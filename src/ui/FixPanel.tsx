export function FixPanel() {
  return <div className="placeholder">FixPanel: coming soon</div>;
}
