export function DenialsTable() {
  return <div className="placeholder">DenialsTable: coming soon</div>;
}
