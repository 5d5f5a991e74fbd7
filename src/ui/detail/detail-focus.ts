// Moving focus into the denial detail panel when it was opened from a control
// that expects it (a domain's object list), and not when a list keeps the
// focus to step through rows (the denials table).

let wanted = false;

/** Call right before setting view.row: the panel focuses its heading once it shows the denial. */
export function requestDetailFocus(): void {
  wanted = true;
}

/** True once after requestDetailFocus(). */
export function takeDetailFocus(): boolean {
  const w = wanted;
  wanted = false;
  return w;
}
