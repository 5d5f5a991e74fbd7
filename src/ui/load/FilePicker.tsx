import { useRef } from 'react';
import { loadSources } from '../app/lens';

interface FilePickerProps {
  label?: string;
  className?: string;
  /** What the chosen files are for; by default they are loaded as logs. */
  onFiles?: (files: File[]) => void;
  inputLabel?: string;
  testId?: string;
  multiple?: boolean;
  accept?: string;
  disabled?: boolean;
}

const loadLogs = (files: File[]) => void loadSources(files.map((file) => ({ kind: 'file', file })));

/** A button that opens the browser's file chooser. */
export function FilePicker({
  label = 'Open logs…',
  className = 'button',
  onFiles = loadLogs,
  inputLabel = 'Log files',
  testId = 'file-input',
  multiple = true,
  accept,
  disabled,
}: FilePickerProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className={className} onClick={() => input.current?.click()} disabled={disabled}>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        multiple={multiple}
        accept={accept}
        hidden
        aria-label={inputLabel}
        data-testid={testId}
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </>
  );
}
