export function ShareMenu() {
  return <div className="placeholder">ShareMenu: coming soon</div>;
}
