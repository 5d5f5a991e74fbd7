import { useRef } from 'react';
import { loadSources } from '../app/lens';

export function FilePicker({ label = 'Open logs…', className = 'button' }: { label?: string; className?: string }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className={className} onClick={() => input.current?.click()}>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label="Log files"
        data-testid="file-input"
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          if (files.length) void loadSources(files.map((file) => ({ kind: 'file', file })));
        }}
      />
    </>
  );
}
