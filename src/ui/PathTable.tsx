export function PathTable() {
  return <div className="placeholder">PathTable: coming soon</div>;
}
