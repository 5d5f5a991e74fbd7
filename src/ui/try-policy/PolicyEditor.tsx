// Where the policy is written: paste, open or drop a landlockconfig file, or
// start from the suggested fix for the current selection.

import { useState, type DragEvent } from 'react';
import { policyJsonText, policyToml } from '../../analysis/policy';
import { useLens } from '../../state/store';
import { useEngine } from '../app/engine';
import { FilePicker } from '../load/FilePicker';
import { useTryPolicy, type ReadAs } from './store';

/** A policy is a few kilobytes; anything this big is not one. */
const MAX_POLICY_BYTES = 1024 * 1024;

export function PolicyEditor() {
  const { text, name, readAs, abi, set } = useTryPolicy();
  const filter = useLens((s) => s.view.filter);
  const engine = useEngine();
  const [status, setStatus] = useState('');
  const [over, setOver] = useState(false);

  const readFile = async (file: File) => {
    if (file.size > MAX_POLICY_BYTES) {
      setStatus(`${file.name} is ${file.size.toLocaleString('en-US')} bytes: a landlockconfig policy is much smaller. Drop logs outside this box.`);
      return;
    }
    set({ text: await file.text(), name: file.name });
    setStatus(`Opened ${file.name}.`);
  };

  const startFromSuggestion = async (format: 'json' | 'toml') => {
    setStatus('Computing the suggested fix…');
    try {
      const s = await engine.query('policy', { filter });
      const p = s.domains.length === 1 ? s.domains[0] : s.merged;
      set({ text: format === 'json' ? policyJsonText(p) : policyToml(p), name: `suggestion.${format}` });
      setStatus(
        s.domains.length > 1
          ? `The suggested fix for the ${s.merged.denials.toLocaleString('en-US')} selected denials of ${s.domains.length} domains, merged: edit it to try another policy.`
          : 'The suggested fix for the selected denials: edit it (remove a rule, narrow a path) to see what would stay denied.',
      );
    } catch (e) {
      setStatus(`The suggestion could not be computed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  // Files dropped here are a policy, not logs: the page's drop zone leaves a drop it sees prevented.
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void readFile(file);
  };

  return (
    <div className="try-editor">
      <div className="row try-actions">
        <button type="button" className="button primary" data-testid="try-from-suggestion" onClick={() => void startFromSuggestion('json')}>
          Start from the suggested fix
        </button>
        <button type="button" className="button" onClick={() => void startFromSuggestion('toml')}>
          … as TOML
        </button>
        <FilePicker
          label="Open a policy file…"
          multiple={false}
          accept=".json,.toml,application/json,text/plain"
          inputLabel="Policy file"
          testId="try-file-input"
          onFiles={(files) => void readFile(files[0])}
        />
        <label className="small">
          Read as{' '}
          <select value={readAs} onChange={(e) => set({ readAs: e.currentTarget.value as ReadAs })} data-testid="try-read-as">
            <option value="auto">decided by the file (ruleset section or not)</option>
            <option value="add">rules added to each domain&apos;s ruleset</option>
            <option value="replace">the whole ruleset of each domain</option>
          </select>
        </label>
        <label className="small">
          Kernel ABI{' '}
          <input
            type="number"
            min={1}
            max={99}
            className="try-abi"
            value={abi ?? ''}
            placeholder="?"
            aria-describedby="try-abi-help"
            onChange={(e) => {
              const v = Number(e.currentTarget.value);
              set({ abi: e.currentTarget.value === '' || !Number.isInteger(v) || v < 1 ? undefined : v });
            }}
          />
        </label>
        <span id="try-abi-help" className="sr-only">
          The Landlock ABI of the kernel the policy will run on, if you know it: rights it cannot enforce are then named.
        </span>
      </div>
      <textarea
        className={over ? 'try-text over' : 'try-text'}
        data-testid="try-policy-text"
        aria-label={`Landlock policy (landlockconfig JSON or TOML)${name ? `, from ${name}` : ''}`}
        spellCheck={false}
        placeholder={'Paste a landlockconfig policy (JSON or TOML), drop its file here, or start from the suggested fix.\n\n[[path_beneath]]\nallowed_access = ["read_file"]\nparent = ["/etc/myapp"]'}
        value={text}
        onChange={(e) => set({ text: e.currentTarget.value })}
        onDragOver={(e) => {
          if ([...e.dataTransfer.types].includes('Files')) {
            e.preventDefault();
            setOver(true);
          }
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      />
      <p role="status" className="small muted try-status" data-testid="try-status">
        {status}
      </p>
    </div>
  );
}
