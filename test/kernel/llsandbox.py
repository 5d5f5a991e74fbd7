#!/usr/bin/env python3
"""Minimal Landlock sandboxer (ctypes) used to produce real kernel audit records.

Environment (like the kernel's sample sandboxer):
  LL_FS_RO=/a:/b      read-only (execute, read_file, read_dir) hierarchies
  LL_FS_RW=/c         read-write hierarchies (all handled fs rights)
  LL_FS_DENY=...      comma list of fs rights removed from LL_FS_RW rules
  LL_FS_HANDLED=...   comma list of fs rights to handle (default: all ABI rights)
  LL_TCP_BIND=80:443  allowed bind ports (net handled only if var is set)
  LL_TCP_CONNECT=...  allowed connect ports
  LL_SCOPED=a,s       a = abstract unix socket, s = signal
  LL_LOG=force|off|nosub|default   restrict_self log flags
  LL_CONFIG=file.json a landlockconfig document whose pathBeneath and netPort
                      rules are added with exactly the rights they list
  LL_PIDFILE=file     appends this process's pid (the domain creator) to file
usage: llsandbox.py CMD ARGS...

Copied from the project's shared tools for test/kernel/verify-policy.sh, with
LL_CONFIG and LL_PIDFILE added.
"""
import ctypes, json, os, sys

libc = ctypes.CDLL(None, use_errno=True)
SYS_CREATE, SYS_ADD, SYS_RESTRICT = 444, 445, 446
FS = ["execute", "write_file", "read_file", "read_dir", "remove_dir", "remove_file",
      "make_char", "make_dir", "make_reg", "make_sock", "make_fifo", "make_block",
      "make_sym", "refer", "truncate", "ioctl_dev"]
FSBIT = {n: 1 << i for i, n in enumerate(FS)}
RO = FSBIT["execute"] | FSBIT["read_file"] | FSBIT["read_dir"]
FILE_RIGHTS = FSBIT["execute"] | FSBIT["write_file"] | FSBIT["read_file"] | FSBIT["truncate"] | FSBIT["ioctl_dev"]

class RulesetAttr(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]

class PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed", ctypes.c_uint64), ("fd", ctypes.c_int32)]

class NetPort(ctypes.Structure):
    _fields_ = [("allowed", ctypes.c_uint64), ("port", ctypes.c_uint64)]

def die(msg):
    print("llsandbox: " + msg + ": " + os.strerror(ctypes.get_errno()), file=sys.stderr)
    sys.exit(1)

NETBIT = {"bind_tcp": 1, "connect_tcp": 2}

def config_path(template):
    # landlockconfig parents are templates: "$$" is a literal "$", "${x}" a variable.
    out, i = "", 0
    while i < len(template):
        if template.startswith("$$", i): out += "$"; i += 2
        elif template.startswith("${", i): sys.exit("llsandbox: LL_CONFIG variables are not supported: " + template)
        else: out += template[i]; i += 1
    return out

def add_config(fd, path, handled, handled_net):
    """Adds the document's rules with exactly the rights listed: nothing is widened or masked."""
    doc = json.load(open(path))
    unknown = set(doc) - {"pathBeneath", "netPort", "variable"}
    if unknown: sys.exit("llsandbox: LL_CONFIG sections not supported: %s" % sorted(unknown))
    for rule in doc.get("pathBeneath", []):
        allowed = 0
        for name in rule["allowedAccess"]: allowed |= FSBIT[name]
        if allowed & ~handled: sys.exit("llsandbox: LL_CONFIG grants rights the ruleset does not handle: %s" % rule)
        for parent in rule["parent"]:
            p = config_path(parent)
            pfd = os.open(p, os.O_PATH | os.O_CLOEXEC)
            if not os.path.isdir(p) and allowed & ~FILE_RIGHTS:
                sys.exit("llsandbox: LL_CONFIG puts directory rights on the file %s" % p)
            pb = PathBeneath(allowed, pfd)
            if libc.syscall(SYS_ADD, fd, 1, ctypes.byref(pb), 0) < 0: die("add_rule (LL_CONFIG) " + p)
            os.close(pfd)
    for rule in doc.get("netPort", []):
        allowed = 0
        for name in rule["allowedAccess"]: allowed |= NETBIT[name]
        if allowed & ~handled_net: sys.exit("llsandbox: LL_CONFIG grants net rights the ruleset does not handle: %s" % rule)
        for port in rule["port"]:
            np_ = NetPort(allowed, int(port))
            if libc.syscall(SYS_ADD, fd, 2, ctypes.byref(np_), 0) < 0: die("add_rule (LL_CONFIG) port %d" % port)

def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr); sys.exit(2)
    abi = libc.syscall(SYS_CREATE, None, 0, 1)
    handled = 0
    names = os.environ.get("LL_FS_HANDLED")
    for n in (names.split(",") if names else FS):
        handled |= FSBIT[n]
    attr = RulesetAttr(handled, 0, 0)
    if "LL_TCP_BIND" in os.environ: attr.net |= 1
    if "LL_TCP_CONNECT" in os.environ: attr.net |= 2
    for s in filter(None, os.environ.get("LL_SCOPED", "").split(",")):
        attr.scoped |= {"a": 1, "s": 2}[s]
    fd = libc.syscall(SYS_CREATE, ctypes.byref(attr), ctypes.sizeof(attr), 0)
    if fd < 0: die("create_ruleset")
    deny = 0
    for n in filter(None, os.environ.get("LL_FS_DENY", "").split(",")):
        deny |= FSBIT[n]
    for var, rights in (("LL_FS_RO", RO), ("LL_FS_RW", handled & ~deny)):
        for p in filter(None, os.environ.get(var, "").split(":")):
            pfd = os.open(p, os.O_PATH | os.O_CLOEXEC)
            allowed = rights & handled
            if not os.path.isdir(p):
                allowed &= FILE_RIGHTS
            pb = PathBeneath(allowed, pfd)
            if libc.syscall(SYS_ADD, fd, 1, ctypes.byref(pb), 0) < 0: die("add_rule " + p)
            os.close(pfd)
    if os.environ.get("LL_CONFIG"):
        add_config(fd, os.environ["LL_CONFIG"], handled, attr.net)
    for var, bit in (("LL_TCP_BIND", 1), ("LL_TCP_CONNECT", 2)):
        for port in filter(None, os.environ.get(var, "").split(":")):
            np_ = NetPort(bit, int(port))
            if libc.syscall(SYS_ADD, fd, 2, ctypes.byref(np_), 0) < 0: die("add_rule port")
    if os.environ.get("LL_PIDFILE"):
        with open(os.environ["LL_PIDFILE"], "a") as f: f.write("%d\n" % os.getpid())
    if libc.prctl(38, 1, 0, 0, 0) < 0: die("no_new_privs")
    flags = {"force": 2, "off": 1, "nosub": 4 | 2, "default": 0, "forcenosub": 6}[os.environ.get("LL_LOG", "force")]
    if libc.syscall(SYS_RESTRICT, fd, flags) < 0: die("restrict_self")
    os.close(fd)
    os.execvp(sys.argv[1], sys.argv[1:])

main()
