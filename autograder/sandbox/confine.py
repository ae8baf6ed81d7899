"""Confining the untrusted child with the kernel's own unprivileged sandboxing (Linux only).

Resource limits stop a child from exhausting the machine; they do not stop it from acting on it. The
child runs as the grader's user, so without more it could overwrite the course's files, read the
reference solutions, kill the grader or leave a process behind that rewrites grades later. Before the
student's code is imported, the child therefore confines itself, for good (nothing can undo either):

- a user namespace of its own, with network, IPC and host-name namespaces: it holds no capability (a
  grader running as root starts children without root's powers), runs as an unprivileged user inside,
  and sees no network interface but a downed loopback (``_namespaces``).
- Landlock (Linux 5.13+): it may read only its view (``_view``: the Python environment, the kit without
  the exercise specs, which hold the hidden cases, the system's libraries, its own /proc entry and its
  submission; never another process' /proc entry, other submissions, the course's solutions, cache,
  history or the grader's output folder), write only inside its run directory, open no TCP
  connection (6.7+), and signal or trace no process outside itself (6.12+; ptrace is refused on every
  version).
- seccomp: it may start threads but no processes, so a fork bomb or a daemon outliving the run fails
  at its first fork; it may signal, limit, reschedule or trace only itself; it opens no socket of any
  kind (UDP and unix sockets included), makes no named pipe, device or link, changes no file's
  permissions, owner, times or extended attributes (Landlock governs contents, not metadata), and
  reaches none of the kernel's privileged facilities (mounts, namespaces, keyrings, BPF, io_uring,
  shared memory that RLIMIT_DATA would not count). See ``DENIED`` for the list.

Each part is applied when the kernel offers it; ``apply`` says which were. Elsewhere (macOS, old
kernels) the child runs with its resource limits only: see the README's threat model.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Landlock: filesystem access rights (by ABI version), network rights (ABI 4), scopes (ABI 6).
FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 1, 1 << 2, 1 << 3
FS_CHANGES = sum(1 << bit for bit in range(4, 13))  # remove and make files, dirs, links, devices
FS_REFER, FS_TRUNCATE = 1 << 13, 1 << 14
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1
FILE_RIGHTS = FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE  # the only rights a rule on a file may hold
SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_ADD_RULE, SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2

# seccomp: syscall numbers by architecture (audit arch, then name -> number; a name missing there: no such
# syscall on that architecture). Checked against the kernel headers where they exist (tests/test_confine.py).
_X86_64 = dict(
    clone=56, fork=57, vfork=58, clone3=435, kill=62, tkill=200, tgkill=234, ptrace=101, process_vm_writev=311,
    process_vm_readv=310, pidfd_send_signal=424, kcmp=312,
    socket=41, socketpair=53,
    mknod=133, mknodat=259, symlink=88, symlinkat=266, link=86, linkat=265,
    chmod=90, fchmod=91, fchmodat=268, fchmodat2=452, chown=92, fchown=93, lchown=94, fchownat=260,
    utime=132, utimes=235, futimesat=261, utimensat=280, setxattr=188, lsetxattr=189, fsetxattr=190,
    removexattr=197, lremovexattr=198, fremovexattr=199, name_to_handle_at=303, open_by_handle_at=304,
    mount=165, umount2=166, pivot_root=155, chroot=161, unshare=272, setns=308, open_tree=428, move_mount=429,
    fsopen=430, fsconfig=431, fsmount=432, fspick=433, mount_setattr=442, quotactl=179, swapon=167, swapoff=168,
    keyctl=250, add_key=248, request_key=249, bpf=321, perf_event_open=298, userfaultfd=323,
    io_uring_setup=425, io_uring_enter=426, io_uring_register=427,
    memfd_create=319, shmget=29, msgget=68, semget=64, mq_open=240,
    reboot=169, kexec_load=246, kexec_file_load=320, init_module=175, finit_module=313, delete_module=176,
    acct=163, syslog=103, vhangup=153, iopl=172, ioperm=173, settimeofday=164, clock_settime=227, adjtimex=159,
    clock_adjtime=305, sethostname=170, setdomainname=171,
    prlimit64=302, sched_setparam=142, sched_setscheduler=144, sched_setaffinity=203, sched_setattr=314,
    migrate_pages=256, move_pages=279, setpriority=141, ioprio_set=251,
)
_AARCH64 = dict(
    clone=220, clone3=435, kill=129, tkill=130, tgkill=131, ptrace=117, process_vm_writev=271,
    process_vm_readv=270, pidfd_send_signal=424, kcmp=272,
    socket=198, socketpair=199,
    mknodat=33, symlinkat=36, linkat=37,
    fchmod=52, fchmodat=53, fchmodat2=452, fchown=55, fchownat=54,
    utimensat=88, setxattr=5, lsetxattr=6, fsetxattr=7, removexattr=14, lremovexattr=15, fremovexattr=16,
    name_to_handle_at=264, open_by_handle_at=265,
    mount=40, umount2=39, pivot_root=41, chroot=51, unshare=97, setns=268, open_tree=428, move_mount=429,
    fsopen=430, fsconfig=431, fsmount=432, fspick=433, mount_setattr=442, quotactl=60, swapon=224, swapoff=225,
    keyctl=219, add_key=217, request_key=218, bpf=280, perf_event_open=241, userfaultfd=282,
    io_uring_setup=425, io_uring_enter=426, io_uring_register=427,
    memfd_create=279, shmget=194, msgget=186, semget=190, mq_open=180,
    reboot=142, kexec_load=104, kexec_file_load=294, init_module=105, finit_module=273, delete_module=106,
    acct=89, syslog=116, vhangup=58, settimeofday=170, clock_settime=112, adjtimex=171,
    clock_adjtime=266, sethostname=161, setdomainname=162,
    prlimit64=261, sched_setparam=118, sched_setscheduler=119, sched_setaffinity=122, sched_setattr=274,
    migrate_pages=238, move_pages=239, setpriority=140, ioprio_set=30,
)
ARCHES = {"x86_64": (0xC000003E, _X86_64), "aarch64": (0xC00000B7, _AARCH64)}

# What a student's code never needs, refused outright (EPERM). By what it would reach:
DENIED = (
    # other processes: new ones, tracing, their memory
    "fork", "vfork", "tkill", "ptrace", "process_vm_writev", "process_vm_readv", "pidfd_send_signal", "kcmp",
    # any socket: TCP, UDP, unix sockets (the warm grader's among them), netlink
    "socket", "socketpair",
    # files that are not plain files (named pipes, devices, links the grader could be led through)
    "mknod", "mknodat", "symlink", "symlinkat", "link", "linkat",
    # metadata, which Landlock does not cover: permissions, owners, times, extended attributes
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
    "utime", "utimes", "futimesat", "utimensat", "setxattr", "lsetxattr", "fsetxattr",
    "removexattr", "lremovexattr", "fremovexattr", "name_to_handle_at", "open_by_handle_at",
    # the file system's shape and the kernel's namespaces
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "open_tree", "move_mount", "fsopen",
    "fsconfig", "fsmount", "fspick", "mount_setattr", "quotactl", "swapon", "swapoff",
    # kernel facilities a sandbox escape starts from, and io_uring, whose calls seccomp cannot see
    "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    # memory that RLIMIT_DATA does not count
    "memfd_create", "shmget", "msgget", "semget", "mq_open",
    # the machine
    "reboot", "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "acct",
    "syslog", "vhangup", "iopl", "ioperm", "settimeofday", "clock_settime", "adjtimex", "clock_adjtime",
    "sethostname", "setdomainname",
)
# Allowed on this process only: the first argument is a pid, 0 or its own (limits, scheduling, memory).
OWN_PID_FIRST = ("prlimit64", "sched_setparam", "sched_setscheduler", "sched_setaffinity", "sched_setattr",
                 "migrate_pages", "move_pages")
# Allowed on this process only: (which, who) must be (PRIO_PROCESS or IOPRIO_WHO_PROCESS, 0 or its own pid).
OWN_PID_SECOND = {"setpriority": 0, "ioprio_set": 1}
CLONE_THREAD = 0x10000
X32_SYSCALL_BIT = 0x40000000


@dataclass(frozen=True)
class Confinement:
    """What the child may read besides its view (its submission folder) and must not (course secrets)."""

    readable: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()


_extra_hidden: list[str] = []


def hide(path: Path) -> None:
    """Keep ``path`` (e.g. the grader's output folder) from every confined child started afterwards."""
    _extra_hidden.append(str(Path(path).resolve()))


def for_submission(folder: Path) -> Confinement:
    from autograder.course import PACKAGE_DIR, Course

    course = Course.locate()
    # The specs hold the hidden cases; a run child is handed its own case and needs none of them.
    hidden = (course.solutions, course.root / ".tfgrade", course.root / ".git", PACKAGE_DIR / "exercises")
    return Confinement(readable=(str(folder),), hidden=tuple(str(p) for p in hidden) + tuple(_extra_hidden))


# Every protection a confined child can get, as ``available`` names them.
PROTECTIONS = ("namespaces", "landlock files", "landlock tcp", "landlock signals", "seccomp")


def available() -> list[str]:
    """The protections this machine gives a confined child, decided here by the grader (never by what a
    child reports): Landlock's by its ABI version, seccomp by the kernel and a known architecture."""
    abi = landlock_abi()
    offered = ["namespaces"] if _user_namespaces() else []
    offered += [name for name, version in (("landlock files", 1), ("landlock tcp", 4), ("landlock signals", 6))
                if abi >= version]
    if platform.system() == "Linux" and platform.machine() in ARCHES and _kernel_has_seccomp():
        offered.append("seccomp")
    return offered


def missing() -> list[str]:
    return [name for name in PROTECTIONS if name not in available()]


def _user_namespaces() -> bool:
    if platform.system() != "Linux" or platform.machine() != "x86_64":
        return False
    try:
        return int(Path("/proc/sys/user/max_user_namespaces").read_text()) > 0
    except (OSError, ValueError):
        return False


def _kernel_has_seccomp() -> bool:
    try:
        return any(line.startswith("Seccomp:") for line in Path("/proc/self/status").read_text().splitlines())
    except OSError:
        return False


def apply(run_dir: Path, confinement: Confinement) -> list[str]:
    """Confine this process (and every thread it starts later); returns what was applied.

    Must run while the process has a single thread: both mechanisms bind the calling thread and
    the threads it creates afterwards, not threads that already exist."""
    libc = ctypes.CDLL(None, use_errno=True)
    if platform.system() != "Linux" or libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return []
    applied = []
    if _namespaces(libc):
        applied.append("namespaces")
    if _landlock(libc, run_dir, confinement):
        applied.append("landlock")
        # Temporary files (Keras writes some while saving) go where writing is still allowed.
        os.environ["TMPDIR"] = tempfile.tempdir = str(run_dir)
    if _seccomp(libc):
        applied.append("seccomp")
    return applied


# ---------------------------------------------------------------------------------------- namespaces

CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWNET = 0x04000000, 0x08000000, 0x10000000, 0x40000000
NAMESPACES = CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
INNER_ID = 1000  # the child's user and group inside its namespace: not root, whoever the grader is
SYS_CAPSET, CAPABILITY_VERSION_3 = 126, 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _namespaces(libc) -> bool:
    """Enter a user namespace of its own (with network, IPC and host-name namespaces it owns) and drop
    every capability: a grader running as root starts children that hold none of root's powers outside
    (no CAP_SYS_BOOT, no real-time scheduling, no overriding file permissions), see no network interface
    but a downed loopback, share no System V IPC and run as an unprivileged user inside. Unprivileged user
    namespaces need no root; a kernel or container that refuses them leaves this protection out."""
    uid, gid = os.getuid(), os.getgid()
    if platform.machine() != "x86_64" or libc.unshare(NAMESPACES) != 0:
        return False
    try:
        for name, text in (("setgroups", "deny"), ("uid_map", f"{INNER_ID} {uid} 1"),
                           ("gid_map", f"{INNER_ID} {gid} 1")):
            with open(f"/proc/self/{name}", "w") as file:
                file.write(text)
    except OSError:
        pass  # unmapped, the child runs as the overflow user: still without capabilities
    # The creator of a user namespace holds every capability in it: give them all up, for good.
    header, data = _CapHeader(CAPABILITY_VERSION_3, 0), (_CapData * 2)()
    return libc.syscall(SYS_CAPSET, ctypes.byref(header), ctypes.byref(data)) == 0


# ------------------------------------------------------------------------------------------ Landlock


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    """The kernel's Landlock ABI version; 0 when it has none."""
    if platform.system() != "Linux":
        return 0
    version = ctypes.CDLL(None, use_errno=True).syscall(SYS_LANDLOCK_CREATE_RULESET, None, 0, 1)
    return max(0, version)


def _landlock(libc, run_dir: Path, confinement: Confinement) -> bool:
    abi = landlock_abi()
    if abi < 1:
        return False
    write = FS_WRITE_FILE | FS_CHANGES | (FS_REFER if abi >= 2 else 0) | (FS_TRUNCATE if abi >= 3 else 0)
    read = FS_READ_FILE | FS_READ_DIR
    attr = _RulesetAttr(read | write, NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0,
                        SCOPE_SIGNAL | SCOPE_ABSTRACT_UNIX_SOCKET if abi >= 6 else 0)
    ruleset = libc.syscall(SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.sizeof(attr), 0)
    if ruleset < 0:
        return False
    try:
        hidden = [Path(p) for p in confinement.hidden]
        for path in _readable_roots(hidden, _view()) + list(confinement.readable):
            _allow(libc, ruleset, path, read)
        _allow(libc, ruleset, os.devnull, FS_READ_FILE | FS_WRITE_FILE)
        _allow(libc, ruleset, run_dir, read | write)
        return libc.syscall(SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0) == 0
    finally:
        os.close(ruleset)


def _allow(libc, ruleset: int, path, access: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not os.path.isdir(path):
            access &= FILE_RIGHTS
        rule = _PathBeneathAttr(access, fd)
        libc.syscall(SYS_LANDLOCK_ADD_RULE, ruleset, 1, ctypes.byref(rule), 0)  # 1: a path-beneath rule
    finally:
        os.close(fd)


# What a confined child may read besides its submission and run folder: the Python environment and the
# kit (``_view`` adds those), the system's shared libraries, a few configuration files that the C library
# and TensorFlow read, its own /proc entry and what TensorFlow reads to size its thread pools.
SYSTEM_VIEW = ("/usr/lib", "/usr/lib64", "/usr/local/lib", "/usr/share/zoneinfo", "/lib", "/lib64",
               "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/nsswitch.conf",
               "/etc/passwd", "/etc/group", "/dev/urandom", "/dev/random", "/proc/cpuinfo", "/proc/meminfo",
               "/proc/stat", "/proc/sys/vm/overcommit_memory", "/sys/devices/system/cpu", "/sys/fs/cgroup")


def _view() -> list[Path]:
    """The folders a child reads: ``SYSTEM_VIEW``, this process' own /proc entry, the interpreter's and the
    environment's folders and every import path (the kit among them); never another process' /proc entry,
    the rest of the course, other submissions or anything else on the machine."""
    import sys

    from autograder.course import PACKAGE_DIR, Course

    course = Course.locate().root
    # An import path that holds the course (``python -m`` from its folder puts it there) would show the
    # whole course, and batch folders inside it: the kit comes in through PACKAGE_DIR instead.
    paths = [entry for entry in sys.path if entry and Path(entry).resolve() not in (course, *course.parents)]
    python = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, str(PACKAGE_DIR), *paths}
    return [Path(p) for p in (*SYSTEM_VIEW, f"/proc/{os.getpid()}", *sorted(python))]


def _readable_roots(hidden: list[Path], view: list[Path] | None = None) -> list[str]:
    """Folders and files that cover the ``view`` (by default the whole file system) except the hidden
    paths: from each root of the view down to each hidden path below it, every sibling on the way is
    readable with everything below it."""
    hidden_set = {p.resolve() for p in hidden}
    on_the_way = {parent for p in hidden_set for parent in p.parents}
    roots: list[str] = []
    todo = []
    for root in view or [Path("/")]:
        resolved = root.resolve() if root.exists() else None
        if resolved is None or resolved in hidden_set or any(h in resolved.parents for h in hidden_set):
            continue  # missing here, or inside a hidden folder
        if resolved in on_the_way or resolved == Path("/"):
            todo.append(resolved)
        else:
            roots.append(str(resolved))
    while todo:
        folder = todo.pop()
        try:
            entries = [(Path(entry.path), entry.is_symlink()) for entry in os.scandir(folder)]
        except OSError:
            continue
        for path, is_link in entries:
            target = path.resolve() if is_link else path
            if target in hidden_set or (is_link and (target in on_the_way or any(h in target.parents
                                                                                 for h in hidden_set))):
                continue  # hidden, or a link to it, into it or to a folder above it
            if path in on_the_way:
                todo.append(path)
            else:
                roots.append(str(path))
    return roots


# ------------------------------------------------------------------------------------------- seccomp

BPF_LD_W_ABS, BPF_JEQ, BPF_JGE, BPF_JSET, BPF_RET = 0x20, 0x15, 0x35, 0x45, 0x06
RET_ALLOW, RET_ERRNO = 0x7FFF0000, 0x00050000
SECCOMP_ARG0, SECCOMP_ARG1 = 16, 24  # offsets of the low halves of arguments 0 and 1 in seccomp_data


def _seccomp(libc) -> bool:
    arch = ARCHES.get(platform.machine())
    if arch is None:
        return False
    program = _filter(*arch, pid=os.getpid())
    code = b"".join(struct.pack("HBBI", *instruction) for instruction in program)
    buffer = ctypes.create_string_buffer(code)

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = Program(len(program), ctypes.cast(buffer, ctypes.c_void_p))
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0


def _filter(audit_arch: int, calls: dict[str, int], pid: int) -> list[tuple[int, int, int, int]]:
    """A BPF program: no new processes, no sockets, no special files or metadata changes, nothing done to
    another process (signals, limits, scheduling, tracing), none of the kernel's privileged facilities.

    Written with labels, resolved to jump offsets at the end. A refused syscall is a test followed by
    its own return, since BPF's conditional jumps reach at most 255 instructions ahead. Offsets 0 and 4
    of ``struct seccomp_data`` hold the syscall number and the architecture."""
    refuse = ("ret", RET_ERRNO | errno.EPERM)
    asm: list[tuple] = [
        ("ld", 4), ("jeq", audit_arch, 1, 0), refuse,  # another ABI (32-bit calls): refused outright
        ("ld", 0), ("jge", X32_SYSCALL_BIT, 0, 1), refuse,
    ]
    for name in DENIED:
        if name in calls:
            asm += [("jeq", calls[name], 0, 1), refuse]
    asm += [
        ("jeq", calls["clone3"], "nosys", None),  # its flags are out of reach: glibc then uses clone
        ("jeq", calls["clone"], "clone", None),
        ("jeq", calls["kill"], "kill", None), ("jeq", calls["tgkill"], "own_pid_first", None),
        *(("jeq", calls[name], "own_pid_first", None) for name in OWN_PID_FIRST),
        *(("jeq", calls[name], f"own_pid_second_{name}", None) for name in OWN_PID_SECOND),
        ("ret", RET_ALLOW),
        ("label", "clone"), ("ld", SECCOMP_ARG0), ("jset", CLONE_THREAD, "allow", "deny"),
        ("label", "kill"), ("ld", SECCOMP_ARG0), ("jeq", (-pid) & 0xFFFFFFFF, "allow", "own_pid_first"),  # its group
        ("label", "own_pid_first"), ("ld", SECCOMP_ARG0), ("jeq", 0, "allow", "own_pid"),
    ]
    for name, which in OWN_PID_SECOND.items():
        asm += [("label", f"own_pid_second_{name}"), ("ld", SECCOMP_ARG0), ("jeq", which, None, "deny"),
                ("ld", SECCOMP_ARG1), ("jeq", 0, "allow", "own_pid")]
    asm += [
        ("label", "own_pid"), ("jeq", pid, "allow", "deny"),  # compares whatever argument was loaded last
        ("label", "allow"), ("ret", RET_ALLOW),
        ("label", "deny"), refuse,
        ("label", "nosys"), ("ret", RET_ERRNO | errno.ENOSYS),
    ]
    return _assemble(asm)


def _assemble(asm: list[tuple]) -> list[tuple[int, int, int, int]]:
    labels, position = {}, 0
    for item in asm:
        if item[0] == "label":
            labels[item[1]] = position
        else:
            position += 1
    program: list[tuple[int, int, int, int]] = []
    for item in asm:
        op = item[0]
        if op == "label":
            continue
        if op == "ld":
            program.append((BPF_LD_W_ABS, 0, 0, item[1]))
        elif op == "ret":
            program.append((BPF_RET, 0, 0, item[1]))
        else:
            here = len(program) + 1  # jumps count from the next instruction; None falls through
            jt, jf = (0 if target is None else target if isinstance(target, int) else labels[target] - here
                      for target in item[2:4])
            program.append(({"jeq": BPF_JEQ, "jge": BPF_JGE, "jset": BPF_JSET}[op], jt, jf, item[1]))
    return program
