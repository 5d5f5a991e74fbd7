export function DomainTree() {
  return <div className="placeholder">DomainTree: coming soon</div>;
}
