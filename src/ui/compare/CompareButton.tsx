// Opens compare mode (the header's button); the mode's own code loads when it opens.

import { useCompare } from './compare-store';

export function CompareButton({ className = 'button' }: { className?: string }) {
  const setOpen = useCompare((s) => s.setOpen);
  return (
    <button type="button" className={className} onClick={() => setOpen(true)} data-testid="open-compare">
      Compare runs…
    </button>
  );
}
