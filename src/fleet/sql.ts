// The only way values reach SQL text. ClickHouse 18.16 has no query
// parameters ({x:String}), so user text (a path filter, a program name) is
// written as a string literal by quote() and nowhere else; numbers go through
// num(), names of databases and tables through ident(). Tested with hostile
// values in sql.test.ts and against a real server in test/fleet/.

/**
 * A ClickHouse string literal. ClickHouse reads a backslash as the start of
 * an escape inside quotes, so backslashes are escaped first, then the quote;
 * NUL is written as \0 so no byte in the query text ends a C string.
 */
export function quote(s: string): string {
  if (typeof s !== 'string') throw new TypeError(`quote() takes a string, not ${typeof s}`);
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') out += '\\\\';
    else if (c === "'") out += "\\'";
    else if (c === '\0') out += '\\0';
    else out += c;
  }
  return out + "'";
}

/** A number literal; anything but a finite number is refused (it would be text in the query). */
export function num(n: number): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new TypeError(`not a finite number: ${String(n)}`);
  // Exact integers as digits (1e21 would read as a float); others as JS prints them, which ClickHouse reads.
  return Number.isSafeInteger(n) ? String(n) : n.toString();
}

/** A whole number within [min, max], or the fallback. */
export function intIn(n: unknown, min: number, max: number, fallback: number): number {
  const v = Math.floor(Number(n));
  return Number.isFinite(v) ? Math.max(min, Math.min(max, v)) : fallback;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Whether `name` can name a database or table (letters, digits, underscore; no quoting games). */
export function isName(name: string): boolean {
  return NAME.test(name);
}

/** A database or table name, backquoted; names outside [A-Za-z_][A-Za-z0-9_]* are refused. */
export function ident(name: string): string {
  if (!isName(name)) throw new Error(`"${name}" is not a valid database or table name (letters, digits and _; not starting with a digit)`);
  return '`' + name + '`';
}

/** `[...]` of string literals. */
export function quoteArray(values: readonly string[]): string {
  return '[' + values.map(quote).join(', ') + ']';
}
