import { useEffect, useRef, useState, type ReactNode } from 'react';
import { loadSources } from '../app/lens';

/** The whole page accepts dropped files; an overlay says so while dragging. */
export function DropZone({ children, disabled = false }: { children: ReactNode; disabled?: boolean }) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  useEffect(() => {
    if (disabled) return;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setOver(true);
    };
    const overFn = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      // A drop area of the page (a policy box, a side of compare mode) took these files.
      const taken = e.defaultPrevented;
      e.preventDefault();
      depth.current = 0;
      setOver(false);
      if (taken) return;
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length) void loadSources(files.map((file) => ({ kind: 'file', file })));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overFn);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [disabled]);
  return (
    <>
      {children}
      {over && (
        <div className="drop-overlay" role="presentation">
          <div>Drop logs to read them here. Nothing leaves this tab.</div>
        </div>
      )}
    </>
  );
}
