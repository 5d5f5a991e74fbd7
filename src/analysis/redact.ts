// Pseudonyms for the people and machines a shared log names. People: the user
// names of home directories (/home/alice, /var/home/alice), runtime
// directories (/run/user/1000) and the names of non-system uids (ENRICHED
// UID= fields); wherever such a name appears again as a whole word (a path
// segment, an argument) it is replaced too. Machines: node= host names, and
// the same names elsewhere. System accounts stay as they are: root, /root,
// daemon, nobody and every uid below 1000, since they say nothing about a
// person and the reader needs them to understand the denial.
//
// Pseudonyms are stable within one shared log (alice is user1 everywhere)
// and numbered in order of first appearance.

/** Names that are system accounts on every distribution, whatever their uid. */
const SYSTEM_NAMES = new Set(['root', 'daemon', 'bin', 'sys', 'sync', 'nobody', 'nogroup', 'www-data', 'messagebus', 'sshd', 'syslog', '_apt', 'polkitd']);
/** uids that are not a person: nobody, and the "unset" auid. */
const NOT_PEOPLE = new Set([65534, 4294967295]);
/** Shorter names are not replaced as free words (they would hit unrelated text); home paths are replaced whatever their length. */
const MIN_WORD = 3;

const HOME = /(^|[^A-Za-z0-9_.-])(\/(?:var\/)?home\/)([^/\s'"]+)/g;
const RUN_USER = /(^|[^A-Za-z0-9_.-])(\/run\/user\/)(\d+)(?=$|[^0-9])/g;

function isPersonUid(uid: number): boolean {
  return Number.isInteger(uid) && uid >= 1000 && !NOT_PEOPLE.has(uid);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export class Redactor {
  private readonly users = new Map<string, string>();
  private readonly hosts = new Map<string, string>();
  /** Person uids -> their name, when the log says it. */
  private readonly uidName = new Map<number, string>();
  /** Names the log shows as system accounts (uid < 1000). */
  private readonly system = new Set<string>(SYSTEM_NAMES);
  private words: RegExp | null = null;

  constructor(readonly on: boolean) {}

  /** A uid and its name from a record (SYSCALL, allocation): decides person or system. */
  learnUser(uid: string | undefined, name: string | undefined): void {
    if (!this.on) return;
    const n = uid === undefined ? NaN : Number(uid);
    if (name && Number.isInteger(n) && !isPersonUid(n)) this.system.add(name);
    else if (name && isPersonUid(n)) {
      this.uidName.set(n, name);
      this.person(name);
    }
  }

  /** Home and runtime directories in a string: their owners are people. */
  learnText(s: string | undefined): void {
    if (!this.on || !s) return;
    for (const m of s.matchAll(HOME)) this.person(m[3]);
    for (const m of s.matchAll(RUN_USER)) if (isPersonUid(Number(m[3]))) this.person(this.uidName.get(Number(m[3])) ?? `uid ${m[3]}`);
  }

  learnHost(h: string | undefined): void {
    if (this.on && h && !this.hosts.has(h)) {
      this.hosts.set(h, `host${this.hosts.size + 1}`);
      this.words = null;
    }
  }

  private person(name: string): void {
    if (this.system.has(name) || this.users.has(name)) return;
    this.users.set(name, `user${this.users.size + 1}`);
    this.words = null;
  }

  host(h: string): string {
    if (!this.on || !h) return h;
    this.learnHost(h);
    return this.hosts.get(h)!;
  }

  /** A user name field (UID="..."): people get their pseudonym, system accounts stay. */
  user(name: string): string {
    return (this.on && this.users.get(name)) || name;
  }

  /** A string with every person's and host's name replaced. */
  text(s: string): string {
    if (!this.on || s === '') return s;
    let out = s.replace(HOME, (all, pre: string, home: string, name: string) => (this.users.has(name) ? pre + home + this.users.get(name) : all));
    out = out.replace(RUN_USER, (all, pre: string, dir: string, uid: string) => {
      const p = this.users.get(this.uidName.get(Number(uid)) ?? `uid ${uid}`);
      return p ? pre + dir + p : all;
    });
    const words = this.wordPattern();
    return words ? out.replace(words, (_all, pre: string, word: string) => pre + (this.users.get(word) ?? this.hosts.get(word) ?? word)) : out;
  }

  private wordPattern(): RegExp | null {
    if (this.words) return this.words;
    const names = [...this.users.keys(), ...this.hosts.keys()].filter((n) => n.length >= MIN_WORD && !n.startsWith('uid '));
    if (names.length === 0) return null;
    names.sort((a, b) => b.length - a.length);
    this.words = new RegExp(`(^|[^A-Za-z0-9_.-])(${names.map(escapeRe).join('|')})(?=$|[^A-Za-z0-9_-])`, 'g');
    return this.words;
  }

  /** Original -> pseudonym, for the sharer's eyes only. */
  replaced(): [string, string][] {
    return [...[...this.users].map(([k, v]): [string, string] => [k, v]), ...this.hosts];
  }
}
