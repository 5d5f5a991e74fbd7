export type RightCategory = 'fs' | 'net' | 'scope' | 'ptrace' | 'unknown';
export type RightTarget =
  | 'file'
  | 'directory'
  | 'file-or-directory'
  | 'mount'
  | 'port'
  | 'process'
  | 'socket'
  | 'unknown';

export interface RightInfo {
  id: string;
  short: string;
  category: RightCategory;
  abi?: number;
  target: RightTarget;
  loggedObject: string;
  meaning: string;
  syscalls: string[];
  configName?: string;
  ruleable: boolean;
  howToAllow: string;
}

const RENAME_LINK = ['rename', 'renameat', 'renameat2', 'link', 'linkat'];
const RENAME = ['rename', 'renameat', 'renameat2'];
const OPEN = ['open', 'openat', 'openat2'];

const PARENT_DIR =
  'The directory in which the entry was to be created; the new name itself is not logged.';
const PARENT_DIR_REMOVE =
  'The directory that holds the entry being removed or renamed away; the entry name itself is not logged.';

function makeRight(kind: string, what: string, syscalls: string[], withLink = true): RightInfo {
  return {
    id: `fs.make_${kind}`,
    short: `make_${kind}`,
    category: 'fs',
    abi: 1,
    target: 'directory',
    loggedObject: PARENT_DIR,
    meaning: `The program tried to create ${what} in this directory (possibly by renaming${withLink ? ' or hard-linking' : ''} an entry into it).`,
    syscalls: [...syscalls, ...(withLink ? RENAME_LINK : RENAME)],
    configName: `make_${kind}`,
    ruleable: true,
    howToAllow: `Grant make_${kind} with a pathBeneath rule on this directory or one above it. The right applies to entries beneath the directory, not to the directory itself.`,
  };
}

const CATALOG: RightInfo[] = [
  {
    id: 'fs.execute',
    short: 'execute',
    category: 'fs',
    abi: 1,
    target: 'file',
    loggedObject:
      'The file being executed: the program itself, or a script interpreter or ELF loader the kernel opens to run it.',
    meaning: 'The program tried to execute this file.',
    syscalls: ['execve', 'execveat'],
    configName: 'execute',
    ruleable: true,
    howToAllow:
      'Grant execute on the file, or on a directory above it, with a pathBeneath rule. Executing also opens the file for reading, so read_file is usually needed too.',
  },
  {
    id: 'fs.write_file',
    short: 'write_file',
    category: 'fs',
    abi: 1,
    target: 'file',
    loggedObject: 'The file that was opened for writing.',
    meaning: 'The program tried to open this file with write access.',
    syscalls: [...OPEN, 'creat'],
    configName: 'write_file',
    ruleable: true,
    howToAllow:
      'Grant write_file on the file, or on a directory above it, with a pathBeneath rule. Overwriting with O_TRUNC or creat() also needs truncate; creating a new file needs make_reg on its directory.',
  },
  {
    id: 'fs.read_file',
    short: 'read_file',
    category: 'fs',
    abi: 1,
    target: 'file',
    loggedObject: 'The file that was opened for reading (or executed, which reads it).',
    meaning: 'The program tried to open this file with read access.',
    syscalls: [...OPEN, 'execve', 'execveat'],
    configName: 'read_file',
    ruleable: true,
    howToAllow: 'Grant read_file on the file, or on a directory above it, with a pathBeneath rule.',
  },
  {
    id: 'fs.read_dir',
    short: 'read_dir',
    category: 'fs',
    abi: 1,
    target: 'directory',
    loggedObject: 'The directory that was opened to list its content.',
    meaning: 'The program tried to open this directory or list its content.',
    syscalls: [...OPEN],
    configName: 'read_dir',
    ruleable: true,
    howToAllow:
      'Grant read_dir with a pathBeneath rule on this directory or one above it; the right covers the directory itself and every directory beneath it.',
  },
  {
    id: 'fs.remove_dir',
    short: 'remove_dir',
    category: 'fs',
    abi: 1,
    target: 'directory',
    loggedObject: PARENT_DIR_REMOVE,
    meaning: 'The program tried to remove an empty subdirectory of this directory, or to rename one (a rename removes the old name).',
    syscalls: ['rmdir', 'unlinkat', ...RENAME],
    configName: 'remove_dir',
    ruleable: true,
    howToAllow:
      'Grant remove_dir with a pathBeneath rule on this directory or one above it. The right applies to entries beneath the directory, not to the directory itself.',
  },
  {
    id: 'fs.remove_file',
    short: 'remove_file',
    category: 'fs',
    abi: 1,
    target: 'directory',
    loggedObject: PARENT_DIR_REMOVE,
    meaning: 'The program tried to delete (unlink) a file in this directory, or to rename one (a rename removes the old name).',
    syscalls: ['unlink', 'unlinkat', ...RENAME],
    configName: 'remove_file',
    ruleable: true,
    howToAllow:
      'Grant remove_file with a pathBeneath rule on this directory or one above it. The right applies to entries beneath the directory, not to the directory itself.',
  },
  makeRight('char', 'a character device node', ['mknod', 'mknodat']),
  makeRight('dir', 'a subdirectory', ['mkdir', 'mkdirat'], false),
  makeRight('reg', 'a regular file', [...OPEN, 'creat', 'mknod', 'mknodat']),
  makeRight('sock', 'a UNIX domain socket file', ['bind', 'mknod', 'mknodat']),
  makeRight('fifo', 'a named pipe (FIFO)', ['mknod', 'mknodat']),
  makeRight('block', 'a block device node', ['mknod', 'mknodat']),
  makeRight('sym', 'a symbolic link', ['symlink', 'symlinkat']),
  {
    id: 'fs.refer',
    short: 'refer',
    category: 'fs',
    abi: 2,
    target: 'directory',
    loggedObject:
      'The source or the destination directory of a link or rename that changes the parent directory; a denied cross-directory rename usually logs one record for each side.',
    meaning:
      'The program tried to move or hard-link an entry from one directory to a different one (reparenting). Every Landlock domain denies this unless refer is explicitly handled and granted.',
    syscalls: [...RENAME_LINK],
    configName: 'refer',
    ruleable: true,
    howToAllow:
      'Handle refer and grant it on both the source and the destination directories, together with remove_* on the source and make_* on the destination. The destination must also be at least as restricted as the source, otherwise the kernel still returns EXDEV (mv then falls back to copy and delete).',
  },
  {
    id: 'fs.truncate',
    short: 'truncate',
    category: 'fs',
    abi: 3,
    target: 'file',
    loggedObject: 'The file that was to be truncated.',
    meaning:
      'The program tried to truncate this file, with truncate(), ftruncate(), creat() or open() with O_TRUNC. For ftruncate() the permission was fixed when the file was opened.',
    syscalls: ['truncate', 'ftruncate', ...OPEN, 'creat'],
    configName: 'truncate',
    ruleable: true,
    howToAllow:
      'Grant truncate on the file, or on a directory above it, with a pathBeneath rule. A file descriptor opened before the rule existed keeps the rights it was opened with.',
  },
  {
    id: 'fs.ioctl_dev',
    short: 'ioctl_dev',
    category: 'fs',
    abi: 5,
    target: 'file',
    loggedObject:
      'The character or block device file the ioctl was issued on; ioctlcmd= gives the command (for example 0x5401 is TCGETS, a terminal query).',
    meaning:
      'The program tried to issue a device-specific ioctl command on this character or block device. Whether it may is decided when the device file was opened.',
    syscalls: ['ioctl'],
    configName: 'ioctl_dev',
    ruleable: true,
    howToAllow:
      'Grant ioctl_dev on the device file (or on /dev) with a pathBeneath rule, then reopen it: descriptors opened before keep their old rights. Terminals passed in by the parent are often the cause.',
  },
  {
    id: 'fs.resolve_unix',
    short: 'resolve_unix',
    category: 'fs',
    abi: 9,
    target: 'socket',
    loggedObject: 'The path of the named UNIX domain socket the program tried to reach.',
    meaning:
      'The program tried to connect to, or send a datagram to, a UNIX domain socket bound to a filesystem path and created outside its Landlock domain.',
    syscalls: ['connect', 'sendto', 'sendmsg'],
    ruleable: true,
    howToAllow:
      'Grant resolve_unix with a pathBeneath rule on the socket file or a directory above it, or create the listening socket from inside the same Landlock domain.',
  },
  {
    id: 'fs.change_topology',
    short: 'change_topology',
    category: 'fs',
    target: 'mount',
    loggedObject:
      'The mount point or path involved in the mount operation; for an unmount or remount it may be the root of the mounted filesystem (name="/" with its device, e.g. tmpfs).',
    meaning:
      'The program tried to change the filesystem layout (mount, unmount, remount, move a mount or pivot_root), which Landlock never allows a sandboxed process to do. chroot() is not restricted.',
    syscalls: ['mount', 'umount2', 'move_mount', 'pivot_root'],
    ruleable: false,
    howToAllow:
      'No rule can allow this: Landlock denies mount, umount and pivot_root for every sandboxed process. Set up the mounts before calling landlock_restrict_self, or from a process outside the sandbox.',
  },
  {
    id: 'net.bind_tcp',
    short: 'bind_tcp',
    category: 'net',
    abi: 4,
    target: 'port',
    loggedObject: 'The local address and TCP port the socket was to be bound to (saddr= and src=).',
    meaning: 'The program tried to bind a TCP socket to this local port, usually to listen on it.',
    syscalls: ['bind'],
    configName: 'bind_tcp',
    ruleable: true,
    howToAllow:
      'Add a netPort rule granting bind_tcp for this port. A rule for port 0 allows binding to a kernel-chosen ephemeral port.',
  },
  {
    id: 'net.connect_tcp',
    short: 'connect_tcp',
    category: 'net',
    abi: 4,
    target: 'port',
    loggedObject: 'The remote address and TCP port the program tried to connect to (daddr= and dest=).',
    meaning: 'The program tried to open a TCP connection to this remote port.',
    syscalls: ['connect'],
    configName: 'connect_tcp',
    ruleable: true,
    howToAllow:
      'Add a netPort rule granting connect_tcp for this port. Rules match the port only, not the address.',
  },
  {
    id: 'net.bind_udp',
    short: 'bind_udp',
    category: 'net',
    abi: 10,
    target: 'port',
    loggedObject: 'The local address and UDP port the socket was to be bound to (saddr= and src=).',
    meaning: 'The program tried to bind a UDP socket to this local port.',
    syscalls: ['bind'],
    ruleable: true,
    howToAllow:
      'Add a netPort rule granting bind_udp for this port (needs a kernel and policy tool that know this newer right). A rule for port 0 allows a kernel-chosen ephemeral port.',
  },
  {
    id: 'net.connect_send_udp',
    short: 'connect_send_udp',
    category: 'net',
    abi: 10,
    target: 'port',
    loggedObject: 'The remote address and UDP port the program tried to connect to or send to (daddr= and dest=).',
    meaning: 'The program tried to connect a UDP socket to this remote port, or to send a datagram to it.',
    syscalls: ['connect', 'sendto', 'sendmsg', 'sendmmsg'],
    ruleable: true,
    howToAllow:
      'Add a netPort rule granting connect_send_udp for this port (needs a kernel and policy tool that know this newer right).',
  },
  {
    id: 'scope.abstract_unix_socket',
    short: 'abstract_unix_socket',
    category: 'scope',
    abi: 6,
    target: 'socket',
    loggedObject:
      'The abstract UNIX socket the program tried to reach, logged as hex of its name; a leading 00 byte marks an abstract name, conventionally shown as @name.',
    meaning:
      'The program tried to connect to, or send a datagram to, an abstract UNIX socket created by a process outside its Landlock domain.',
    syscalls: ['connect', 'sendto', 'sendmsg'],
    configName: 'abstract_unix_socket',
    ruleable: false,
    howToAllow:
      'Scopes cannot be allowed by a rule: stop setting LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET in the ruleset, or create the listening socket from inside the same domain (or a domain nested in it).',
  },
  {
    id: 'scope.signal',
    short: 'signal',
    category: 'scope',
    abi: 6,
    target: 'process',
    loggedObject: 'The process the signal was sent to (opid= and ocomm=).',
    meaning: 'The program tried to send a signal to a process outside its Landlock domain.',
    syscalls: ['kill', 'tkill', 'tgkill', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'pidfd_send_signal'],
    configName: 'signal',
    ruleable: false,
    howToAllow:
      'Scopes cannot be allowed by a rule: stop setting LANDLOCK_SCOPE_SIGNAL in the ruleset, or send the signal from inside the same domain (or to a process in a domain nested in it).',
  },
  {
    id: 'ptrace',
    short: 'ptrace',
    category: 'ptrace',
    target: 'process',
    loggedObject: 'The process the program tried to trace or inspect (opid= and ocomm=).',
    meaning:
      'The program tried to trace or inspect another process (ptrace, reading its memory or sensitive /proc/PID files, or similar), but that process is not in the same Landlock domain or a domain nested in it.',
    syscalls: ['ptrace', 'process_vm_readv', 'process_vm_writev', 'pidfd_getfd', 'kcmp', 'openat'],
    ruleable: false,
    howToAllow:
      'No rule can allow this: a sandboxed process may only trace processes in the same domain or a nested one. Start the target from inside the sandbox, or run the debugger outside it.',
  },
];

for (const info of CATALOG) {
  Object.freeze(info.syscalls);
  Object.freeze(info);
}

export const RIGHTS: readonly RightInfo[] = Object.freeze(CATALOG);

const BY_ID: ReadonlyMap<string, RightInfo> = new Map(RIGHTS.map((r) => [r.id, r]));

export const FILE_RIGHTS: ReadonlySet<string> = new Set([
  'fs.execute',
  'fs.write_file',
  'fs.read_file',
  'fs.truncate',
  'fs.ioctl_dev',
]);

const PREFIX_CATEGORIES: ReadonlySet<string> = new Set(['fs', 'net', 'scope', 'ptrace']);

function prefixCategory(id: string): RightCategory {
  const dot = id.indexOf('.');
  const prefix = dot > 0 ? id.slice(0, dot) : '';
  return PREFIX_CATEGORIES.has(prefix) ? (prefix as RightCategory) : 'unknown';
}

export function rightCategory(id: string): RightCategory {
  return BY_ID.get(id)?.category ?? prefixCategory(id);
}

export function rightInfo(id: string): RightInfo {
  const known = BY_ID.get(id);
  if (known) return known;
  const dot = id.indexOf('.');
  return {
    id,
    short: dot > 0 && dot < id.length - 1 ? id.slice(dot + 1) : id,
    category: prefixCategory(id),
    target: 'unknown',
    loggedObject: 'Unknown: see the object fields of the record as logged.',
    meaning: `"${id}" is a right this version of Landlock Lens does not know (probably added by a newer kernel); it is kept as logged.`,
    syscalls: [],
    ruleable: false,
    howToAllow:
      "Look the right up in the kernel's Landlock documentation (Documentation/userspace-api/landlock.rst) for the running kernel version.",
  };
}
