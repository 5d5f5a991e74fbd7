export function Timeline() {
  return <div className="placeholder">Timeline: coming soon</div>;
}
