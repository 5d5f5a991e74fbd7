// What a typed filter value means, checked the same way in the page's filter
// bar and on the command line: a value that cannot match what the kernel logs
// is refused with the reason, and the forms the log itself prints (a domain's
// hex id, a right's full name) are what the filter keeps.

import { globProblem, type FilterField } from './filter';
import { RIGHTS } from './rights';

const CATEGORIES = new Set(['fs', 'net', 'scope', 'ptrace', 'unknown']);
const SHORT_RIGHTS = new Map(RIGHTS.map((r) => [r.short, r.id]));

/**
 * The value a filter on `field` keeps for `raw`, or why there is none.
 * `exeHint` names the exe filter in the caller's words (an option or a field).
 */
export function filterValue(field: FilterField, raw: string, exeHint = 'the exe filter'): string | { error: string } {
  const v = raw.trim();
  if (v === '') return { error: 'needs a value' };
  switch (field) {
    case 'domain': {
      const hex = v.replace(/^0x/i, '');
      return /^[0-9a-f]{1,16}$/i.test(hex) ? hex.toLowerCase() : { error: `"${v}" is not a domain id (hexadecimal, as logged: 153d5d889)` };
    }
    case 'right': {
      if (v.includes('.') || v === 'ptrace') return v;
      const id = SHORT_RIGHTS.get(v);
      if (id) return id;
      return { error: `"${v}" is not a right (use a logged name such as fs.read_file, or a short one such as ${[...SHORT_RIGHTS.keys()].slice(0, 4).join(', ')}, ...)` };
    }
    case 'category':
      return CATEGORIES.has(v) ? v : { error: `"${v}" is not a category (fs, net, scope, ptrace or unknown)` };
    case 'pid':
      return /^\d+$/.test(v) && Number(v) <= 0x7fffffff ? String(Number(v)) : { error: `"${v}" is not a process id` };
    case 'path': {
      // A path keeps its spaces: only an empty value or a glob that cannot be compiled is refused.
      const problem = globProblem(raw);
      return problem ? { error: `"${raw}" is not a valid glob: ${problem}` } : raw;
    }
    case 'comm':
      // The kernel keeps 15 bytes of a program's name (TASK_COMM_LEN): a longer one is never logged.
      return new TextEncoder().encode(raw).length <= 15
        ? raw
        : { error: `"${raw}" is longer than the 15 bytes the kernel logs of a program name: use ${exeHint}, or its first 15 bytes` };
    case 'syscall':
      return /^\w+$/.test(v) ? v : { error: `"${v}" is not a syscall name (openat, connect, ...)` };
    default:
      return field === 'text' || field === 'file' || field === 'exe' ? raw : v;
  }
}
