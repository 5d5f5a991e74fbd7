// Strict options for the bench scripts (node:util parseArgs): an unknown or
// misspelt option stops the run with the usage instead of being ignored, and
// --help prints the usage (the script's header comment) without benchmarking.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** The options of `script` (its import.meta.url); `options` in parseArgs' form, every value a string or boolean. */
export function benchArgs(script, options) {
  const usage = () => {
    const lines = readFileSync(new URL(script), 'utf8').split('\n');
    const head = lines.slice(lines[0].startsWith('#!') ? 1 : 0);
    const end = head.findIndex((l) => !l.startsWith('//'));
    return head
      .slice(0, end < 0 ? head.length : end)
      .map((l) => l.replace(/^\/\/ ?/, ''))
      .join('\n');
  };
  try {
    const { values } = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    if (values.help) {
      console.log(usage());
      process.exit(0);
    }
    return values;
  } catch (e) {
    console.error(`${e.message}\n\n${usage()}`);
    process.exit(2);
  }
}
