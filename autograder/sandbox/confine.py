"""Confining the untrusted child with the kernel's own unprivileged sandboxing (Linux only).

Resource limits stop a child from exhausting the machine; they do not stop it from acting on it. The
child runs as the grader's user, so without more it could overwrite the course's files, read the
reference solutions, kill the grader or leave a process behind that rewrites grades later. Before the
student's code is imported, the child therefore confines itself, for good (nothing can undo either):

- a user namespace of its own, with network, IPC and host-name namespaces: it holds no capability (a
  grader running as root starts children without root's powers), runs as an unprivileged user inside,
  and sees no network interface but a downed loopback (``_enter_namespaces``, ``_drop_capabilities``).
- a PID namespace of its own (``_enter_pid_namespace``), in which it is the only process: no other
  process has a number it could signal, limit, reschedule or trace, and its parent is not in view.
- a mount namespace of its own with a new root (``_mounts``): a tmpfs holding only what it may read,
  bound read-only at the same paths, its run folder bound read-write, a few devices, a /proc of its own
  PID namespace (the machine's where the kernel refuses a new one), and private, size-capped tmpfs on
  /tmp and /dev/shm. Any other path does not exist for it, and what it writes in /tmp is its own and
  gone when it ends.
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
  shared memory that RLIMIT_DATA would not count: System V, memfd, shared anonymous mappings). See
  ``DENIED`` for the list; the filter is made by libseccomp (``pyseccomp``), and without it there is no
  seccomp.

Besides, the grader puts each confined child in a memory cgroup of its own where the host allows it
(``autograder.sandbox.cgroup``), which counts the memory RLIMIT_DATA does not.

Each part is applied when the kernel offers it; ``apply`` says which were. Elsewhere (macOS, old
kernels) the child runs with its resource limits only: see the README's threat model.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import platform
import resource
import select
import signal
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from autograder.sandbox import cgroup

# Landlock: filesystem access rights (by ABI version), network rights (ABI 4), scopes (ABI 6).
FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 1, 1 << 2, 1 << 3
FS_CHANGES = sum(1 << bit for bit in range(4, 13))  # remove and make files, dirs, links, devices
FS_REFER, FS_TRUNCATE = 1 << 13, 1 << 14
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1
FILE_RIGHTS = FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE  # the only rights a rule on a file may hold
SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_ADD_RULE, SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
PR_SET_NO_NEW_PRIVS = 38

# The seccomp filter is made by libseccomp (through ``pyseccomp``, a ctypes binding of it), which knows each
# architecture's syscall numbers. The policy below is meant for these machines only (``platform.machine()``):
# elsewhere the arguments it looks at (clone's flags first, say) may sit in other places.
ARCHES = ("x86_64", "aarch64")

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
    # kernel objects counted per user (the grader's, whose share on the whole machine a child would use up)
    "inotify_init", "inotify_init1", "fanotify_init",
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
# mmap's flags: the mapping's type (its low two bits) and whether a file backs it. RLIMIT_DATA counts
# private writable mappings only, so shared anonymous memory (``mmap.mmap(-1, n)``) would be unlimited.
MAP_TYPE, MAP_PRIVATE, MAP_ANONYMOUS = 0x03, 0x02, 0x20


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
PROTECTIONS = ("namespaces", "pid namespace", "mount namespace", "private /proc", "task limit", "landlock files",
               "landlock tcp", "landlock signals", "seccomp", "memory cgroup")


def available() -> list[str]:
    """The protections this machine gives a confined child, decided here by the grader (never by what a
    child reports): Landlock's by its ABI version, seccomp by the kernel, a known architecture and
    libseccomp."""
    abi = landlock_abi()
    offered = ["namespaces"] if _user_namespaces() else []
    offered += [name for name in PROBED if name in _namespaces()]
    offered += [name for name, version in (("landlock files", 1), ("landlock tcp", 4), ("landlock signals", 6))
                if abi >= version]
    if (platform.system() == "Linux" and platform.machine() in ARCHES and _kernel_has_seccomp()
            and _libseccomp() is not None):
        offered.append("seccomp")
    if cgroup.available():
        offered.append("memory cgroup")
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
    entered = _enter_namespaces(libc)  # in a PID namespace, this process goes on as a new one (pid 1)
    view = _view()
    # What it may read: the view less the hidden paths, and its submission.
    readable = _readable_roots([Path(p) for p in confinement.hidden], view) + list(confinement.readable)
    if entered:
        # Mounts first, while this process still holds the capabilities its user namespace gave it.
        mounted = _mounts(libc, run_dir, readable, [*view, *map(Path, confinement.readable)],
                          own_pids="pid namespace" in entered)
        applied += entered if _drop_capabilities(libc) else []
        applied += mounted
    # Its own /proc entry, by the number the /proc it sees gives it (1 in a /proc of its own).
    try:
        readable.append(f"/proc/{os.readlink('/proc/self')}")
    except OSError:  # no /proc
        pass
    if _landlock(libc, run_dir, readable):
        applied.append("landlock")
        # Temporary files (Keras writes some while saving) go where writing is still allowed.
        os.environ["TMPDIR"] = tempfile.tempdir = str(run_dir)
    if _seccomp(os.getpid()):
        applied.append("seccomp")
    return applied


# ---------------------------------------------------------------------------------------- namespaces

CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = (
    0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000)
NAMESPACES = CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
PR_SET_PDEATHSIG = 1
INNER_ID = 1000  # the child's user and group inside its namespace: not root, whoever the grader is
SYS_CAPSET, CAPABILITY_VERSION_3 = 126, 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _enter_namespaces(libc) -> list[str]:
    """Enter a user namespace of its own (with network, IPC, host-name and PID namespaces it owns): the
    child sees no network interface but a downed loopback, shares no System V IPC, runs as an
    unprivileged user inside and, in its PID namespace, is the only process. Unprivileged user
    namespaces need no root; a kernel or container that refuses them leaves these protections out (and
    one that refuses PID namespaces only, that one). Returns the protections entered."""
    uid, gid = os.getuid(), os.getgid()
    if platform.machine() != "x86_64":
        return []
    entered = ["namespaces", "pid namespace"]
    if libc.unshare(NAMESPACES | CLONE_NEWPID) != 0:
        entered = ["namespaces"]
        if libc.unshare(NAMESPACES) != 0:
            return []
    try:
        for name, text in (("setgroups", "deny"), ("uid_map", f"{INNER_ID} {uid} 1"),
                           ("gid_map", f"{INNER_ID} {gid} 1")):
            with open(f"/proc/self/{name}", "w") as file:
                file.write(text)
    except OSError:
        pass  # unmapped, the child runs as the overflow user: still without capabilities
    if "pid namespace" in entered:
        _enter_pid_namespace(libc)
    return entered


def _enter_pid_namespace(libc) -> None:
    """unshare(CLONE_NEWPID) puts the next process this one starts, not itself, into the new PID
    namespace. So it forks once: the new process (pid 1 there) returns and goes on with the child's
    work; this one stays outside as its keeper (``_keep``) and never returns.

    The first process of a PID namespace is its init, which the kernel spares every signal it has no
    handler for unless it comes from outside: it still dies of SIGKILL from the grader, of its keeper's
    death and of faults, but not of SIGXCPU at its soft CPU limit. So its hard CPU limit is brought
    down to the soft one, and the keeper names a SIGKILL at that limit SIGXCPU, as before."""
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is printed twice
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    keeper_alive, keeper_holds = os.pipe()
    pid = os.fork()
    if pid != 0:
        os.close(keeper_alive)
        _keep(pid)
    os.close(keeper_holds)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if select.select([keeper_alive], [], [], 0)[0]:  # the keeper died before the line above: so does this
        os._exit(1)
    os.close(keeper_alive)
    soft, _ = resource.getrlimit(resource.RLIMIT_CPU)
    if soft != resource.RLIM_INFINITY:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft))


def _keep(child: int) -> NoReturn:
    """Wait for ``child`` (the PID namespace's only process) and end as it ended: its exit code, or the
    signal that killed it (SIGXCPU for a SIGKILL at its CPU limit). Runs no student code."""
    cpu_limit, _ = resource.getrlimit(resource.RLIMIT_CPU)
    _, status, usage = os.wait4(child, 0)
    code = os.waitstatus_to_exitcode(status)
    if code >= 0:
        os._exit(code)
    killed_by = -code
    # The kernel kills at the limit by its scheduler's clock; rusage, sampled, lags it by a few ticks.
    if (killed_by == signal.SIGKILL and cpu_limit != resource.RLIM_INFINITY
            and usage.ru_utime + usage.ru_stime >= cpu_limit - min(1.0, 0.1 * cpu_limit)):
        killed_by = signal.SIGXCPU
    try:
        signal.signal(killed_by, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [killed_by])
    except (OSError, ValueError):  # SIGKILL and SIGSTOP have no handler to reset
        pass
    os.kill(os.getpid(), killed_by)
    os._exit(128 + killed_by)


def _drop_capabilities(libc) -> bool:
    """The creator of a user namespace holds every capability in it: give them all up, for good. A grader
    running as root then starts children that hold none of root's powers outside (no CAP_SYS_BOOT, no
    real-time scheduling, no overriding file permissions) nor any inside (no more mounts)."""
    header, data = _CapHeader(CAPABILITY_VERSION_3, 0), (_CapData * 2)()
    return libc.syscall(SYS_CAPSET, ctypes.byref(header), ctypes.byref(data)) == 0


# -------------------------------------------------------------------------------------------- mounts

CLONE_NEWNS, MNT_DETACH, SYS_PIVOT_ROOT = 0x00020000, 2, 155
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    1, 2, 4, 8, 32, 1 << 12, 1 << 14, 1 << 18)
# statvfs flags a read-only remount must keep (the kernel refuses to drop them inside a user namespace)
KEPT_FLAGS = {2: MS_NOSUID, 4: MS_NODEV, 8: MS_NOEXEC, 1024: 1 << 10, 2048: 1 << 11, 4096: 1 << 21}
ROOT_TMPFS = "size=1m,nr_inodes=4096,mode=0755"  # folders, links and empty files to mount on, nothing else
# The machine's shared scratch folders, each a tmpfs of the child's own, with these options.
PRIVATE_TMPFS = (("/tmp", "size=64m,nr_inodes=16384,mode=1777"), ("/dev/shm", "size=1m,nr_inodes=256,mode=1777"))
DEVICES = (os.devnull, "/dev/urandom", "/dev/random")
DEVICE_LINKS = {"/dev/fd": "/proc/self/fd", "/dev/stdin": "/proc/self/fd/0", "/dev/stdout": "/proc/self/fd/1",
                "/dev/stderr": "/proc/self/fd/2"}
STAGING = "/tmp"  # where the new root is put together, over the machine's /tmp, before the child moves in
# mount_setattr(2) (Linux 5.12+): one call makes a bind and every mount below it read-only
SYS_MOUNT_SETATTR, AT_FDCWD, AT_RECURSIVE, MOUNT_ATTR_RDONLY = 442, -100, 0x8000, 0x1


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64), ("propagation", ctypes.c_uint64),
                ("userns_fd", ctypes.c_uint64)]


def _mounts(libc, run_dir: Path | None, readable: list[str], named: list[Path], own_pids: bool = False) -> list[str]:
    """A mount namespace of its own and a new root file system: a tmpfs that holds only what the child may
    read (``readable``: the roots of its view and its submission), bound read-only at the same paths,
    its run folder bound read-write, a few devices, /proc, and a fresh, size-capped tmpfs on /tmp and
    /dev/shm. Every other path does not exist for it (Landlock stays on top, a second wall); what it
    writes in /tmp no other process sees, and it is gone when the child ends. Links on the way to the
    ``named`` paths (``/lib`` to ``usr/lib``, the interpreter's) are made again. With ``own_pids`` (the
    child is in a PID namespace of its own) /proc is a new one that shows that namespace only, where the
    kernel allows it (a container that hides parts of the machine's /proc refuses it): else the
    machine's. Called inside the child's user namespace, before it drops its capabilities.

    Returns "mount namespace" (and "private /proc", and "task limit": ``_limit_tasks``), or nothing, with
    the machine's file system left in place, where the kernel refuses any of it."""
    if libc.unshare(CLONE_NEWNS) != 0 or libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return []
    cwd = os.getcwd()
    try:
        binds, links = _plan(run_dir, readable, named)
    except OSError:  # a loop of links
        return []
    sources: dict[str, int] = {}  # opened now: reachable still once the staging tmpfs covers /tmp
    for place, (source, _) in list(binds.items()):
        try:
            sources[place] = os.open(source, os.O_PATH | os.O_CLOEXEC)
        except OSError:  # not this user's to read (the grader's own file permissions): left out
            del binds[place]
    try:
        if not os.path.isdir(STAGING) or _mount(libc, "tmpfs", STAGING, "tmpfs", MS_NOSUID | MS_NODEV, ROOT_TMPFS):
            return []
        try:
            own_proc = _build_root(libc, binds, links, sources, own_pids)
            os.chdir(STAGING)
            if libc.syscall(SYS_PIVOT_ROOT, b".", b".") != 0:
                raise OSError(ctypes.get_errno(), "pivot_root")
        except OSError:
            os.chdir("/")
            libc.umount2(STAGING.encode(), MNT_DETACH)  # the machine's file system again, as it was
            return []
        # The old root now sits over the new one: gone with it, the machine's file system.
        if libc.umount2(b".", MNT_DETACH) != 0:
            return []
        os.chdir("/")
        _mount(libc, None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, None)  # nothing new in /
        # Its own /proc, while it still holds its namespaces' capabilities: the threads it may start.
        return ["mount namespace", *(["private /proc"] if own_proc else []),
                *(["task limit"] if own_proc and _limit_tasks() else [])]
    finally:
        for fd in sources.values():
            os.close(fd)
        try:
            os.chdir(cwd)  # the same folder, seen through its new mount
        except OSError:
            pass


def _plan(run_dir: Path | None, readable: list[str], named: list[Path]):
    """What the new root holds: {place: (source, writable)} to bind, outermost first and none inside
    another (but the run folder, over whatever shows it), and {place: target} links to make again."""
    resolved: dict[str, str] = {"/": "/"}  # each path met, resolved: every folder's links looked at once
    links: dict[str, str] = dict(DEVICE_LINKS)

    def resolve(path: str, depth: int = 0) -> str:
        """``os.path.realpath`` of an absolute path, noting the links met on the way."""
        if path not in resolved:
            if depth > 40:
                raise OSError(errno.ELOOP, "too many links", path)
            parent, name = resolve(os.path.dirname(path), depth), os.path.basename(path)
            step = os.path.dirname(parent) if name == ".." else parent if name in ("", ".") else \
                os.path.join(parent, name)
            if os.path.islink(step):
                links[step] = os.readlink(step)
                step = resolve(os.path.join(parent, links[step]), depth + 1)  # (an absolute target replaces)
            resolved[path] = step
        return resolved[path]

    binds: dict[str, tuple[str, bool]] = {"/proc": ("/proc", True)}
    for path in (*readable, *DEVICES):
        place = resolve(os.path.normpath(os.path.abspath(path)))
        if os.path.exists(place):
            binds.setdefault(place, (place, path in DEVICES))
    for path in (*named, *([run_dir] if run_dir else [])):
        resolve(os.path.normpath(os.path.abspath(path)))
    binds = {place: value for place, value in sorted(binds.items()) if not _inside_any(place, binds)}
    if run_dir is not None and os.path.isdir(run_dir):
        place = resolve(os.path.normpath(os.path.abspath(run_dir)))
        binds.pop(place, None)
        binds[place] = (place, True)  # last: over whatever shows it
    links = {place: target for place, target in links.items() if not _inside_any(place, binds, itself=True)}
    return binds, links


def _inside_any(path: str, places, itself: bool = False) -> bool:
    return any(path.startswith(place.rstrip("/") + "/") or (itself and path == place) for place in places
               if place != path or itself)


def _build_root(libc, binds: dict[str, tuple[str, bool]], links: dict[str, str], sources: dict[str, int],
                own_pids: bool = False) -> bool:
    """The new root in STAGING: scratch tmpfs first, then each bind (its mount point made on the tmpfs,
    never in a folder bound from the machine), then the links. With ``own_pids``, /proc is a new one
    where the kernel allows it; returns whether it is."""
    def staged(path: str) -> str:
        return STAGING + path

    own_proc = False

    for folder, options in PRIVATE_TMPFS:
        os.makedirs(staged(folder), exist_ok=True)
        if _mount(libc, "tmpfs", staged(folder), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options):
            raise OSError(ctypes.get_errno(), f"tmpfs on {folder}")
    for place, (_, writable) in binds.items():
        fd = sources[place]
        target = staged(place)
        if place == "/proc" and own_pids:
            os.makedirs(target, exist_ok=True)
            own_proc = not _mount(libc, "proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
            if own_proc:
                continue
        if not os.path.lexists(target):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if stat.S_ISDIR(os.fstat(fd).st_mode):
                os.mkdir(target)
            else:
                os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600))
        if _mount(libc, f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC, None):
            raise OSError(ctypes.get_errno(), f"cannot bind {place}")
        if not writable:  # Landlock refuses writes there too: a second wall, where the kernel allows it
            _read_only(libc, target)
    for place, target in sorted(links.items()):
        if not os.path.lexists(staged(place)):
            os.makedirs(os.path.dirname(staged(place)), exist_ok=True)
            os.symlink(target, staged(place))
    return own_proc


def _limit_tasks() -> bool:
    """At most ``TASKS`` threads in the child's PID namespace, whose /proc this process mounted and in whose
    user namespace it still holds its capabilities: False where the kernel keeps one pid_max for all."""
    try:
        with open("/proc/sys/kernel/pid_max", "w") as setting:
            setting.write(str(TASKS))
        with open("/proc/sys/kernel/pid_max") as setting:
            return int(setting.read()) == TASKS
    except (OSError, ValueError):
        return False


def _read_only(libc, target: str) -> None:
    """Make the bind at ``target`` read-only with every mount below it (a cgroup or /proc mount under a
    folder of the view, say); where the kernel has no mount_setattr, the bind itself only, by a remount
    that keeps the flags a user namespace may not drop."""
    attr = _MountAttr(MOUNT_ATTR_RDONLY, 0, 0, 0)
    if libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, target.encode(), AT_RECURSIVE, ctypes.byref(attr),
                    ctypes.sizeof(attr)) == 0:
        return
    flags = sum(flag for st, flag in KEPT_FLAGS.items() if os.statvfs(target).f_flag & st)
    _mount(libc, None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, None)


def _mount(libc, source, target: str, kind, flags: int, options) -> int:
    """mount(2); 0, or the error number."""
    encode = lambda text: None if text is None else text.encode()  # noqa: E731
    if libc.mount(encode(source), encode(target), encode(kind), flags, encode(options)) == 0:
        return 0
    return ctypes.get_errno() or errno.EPERM


# What a probe of the namespaces a child gets reports, one bit each (its exit code; 0 for none).
PROBED = ("pid namespace", "mount namespace", "private /proc", "task limit")
# Threads a child may have at once, by the numbers its PID namespace may give (Linux 6.14+): RLIMIT_DATA
# alone lets a child with 32 KiB stacks start tens of thousands and run the machine out of pids.
TASKS = 1024


@functools.cache
def _namespaces() -> frozenset[str]:
    """Which of ``PROBED`` a child here gets: tried once, in a throwaway child of this process (never
    decided from what a confined child reports)."""
    if platform.system() != "Linux" or not _user_namespaces():
        return frozenset()
    libc = ctypes.CDLL(None, use_errno=True)
    pid = os.fork()
    if pid == 0:
        got: list[str] = []
        try:
            entered = _enter_namespaces(libc)
            got = entered + _mounts(libc, None, [], [], own_pids="pid namespace" in entered)
            if not _drop_capabilities(libc):
                got = []
        except BaseException:
            pass
        os._exit(sum(1 << bit for bit, name in enumerate(PROBED) if name in got))
    deadline = time.monotonic() + 10
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    if done[0] == 0:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return frozenset()
    code = os.waitstatus_to_exitcode(done[1])
    return frozenset(name for bit, name in enumerate(PROBED) if code >= 0 and code & (1 << bit))


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


def _landlock(libc, run_dir: Path, readable: list[str]) -> bool:
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
        for path in readable:
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
    """The folders a child reads: ``SYSTEM_VIEW``, the interpreter's and the environment's folders, the kit,
    and the import paths inside those or inside the course (a test's helpers); never another process'
    /proc entry (``apply`` adds its own), the rest of the course, other submissions or anything else on
    the machine."""
    import site

    from autograder.course import PACKAGE_DIR, Course

    course = Course.locate().root
    environment = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                                                site.USER_SITE) if p}
    return [Path(p) for p in (*SYSTEM_VIEW, *sorted(str(p) for p in environment | {PACKAGE_DIR, *_import_paths(
        environment, course)}))]


def _import_paths(environment: set[Path], course: Path) -> set[Path]:
    """The import paths a child may read: inside the Python environment, the course or the kit's checkout.
    Not the folder the grader was started in (``python -m`` puts it first: a batch folder, others'
    results), nor any other folder an import path names, and not the course or the checkout itself or a
    folder above them (the whole course): the kit comes in through PACKAGE_DIR instead."""
    from autograder.course import PACKAGE_DIR

    checkouts = {course, PACKAGE_DIR.parent}
    kept = set()
    for entry in sys.path:
        path = Path(entry or ".").resolve()
        if any(path == root or path in root.parents for root in checkouts) or path == Path.cwd().resolve():
            continue
        if any(path == root or root in path.parents for root in (*environment, *checkouts)):
            kept.add(path)
    return kept


def _readable_roots(hidden: list[Path], view: list[Path] | None = None) -> list[str]:
    """Folders and files that cover the ``view`` (by default the whole file system) except the hidden
    paths: from each root of the view down to each hidden path below it, every sibling on the way is
    readable with everything below it."""
    hidden_set = {p.resolve() for p in hidden}
    on_the_way = {parent for p in hidden_set for parent in p.parents}
    roots: list[str] = []
    todo = []
    for root in view or [Path("/")]:
        resolved = root.resolve() if os.path.exists(root) else None  # (False, not an error, where unreadable)
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

SYSCALL_BOUND = 512  # this architecture's own syscall numbers are below it (on x86-64, x32's start there)
LOW_32 = 0xFFFFFFFF  # pids are C ints: the kernel reads the low half of a 64-bit register, and so do the rules


@functools.cache
def _libseccomp():
    """The ``pyseccomp`` module, or None when it or the libseccomp it binds cannot be loaded."""
    try:
        import pyseccomp
    except Exception:  # not installed (ImportError), no libseccomp (RuntimeError), a broken one (OSError)
        return None
    return pyseccomp


@functools.cache
def _known_syscalls() -> dict[str, int]:
    """Every syscall of this architecture that libseccomp knows, by name."""
    seccomp = _libseccomp()
    known = {}
    for number in range(SYSCALL_BOUND):
        try:
            known[seccomp.resolve_syscall(seccomp.Arch.NATIVE, number).decode()] = number
        except (ValueError, UnicodeDecodeError):
            continue
    return known


def _seccomp(pid: int) -> bool:
    """Load the filter; False when libseccomp or the kernel cannot."""
    if _libseccomp() is None or platform.machine() not in ARCHES:
        return False
    try:
        _filter(pid).load()
        return True
    except (OSError, ValueError):
        return False


def _filter(pid: int):
    """A libseccomp filter: no new processes, no sockets, no special files or metadata changes, nothing
    done to another process (signals, limits, scheduling, tracing), no shared anonymous memory, none of
    the kernel's privileged facilities (``DENIED``, ``OWN_PID_FIRST``, ``OWN_PID_SECOND``).

    libseccomp cannot allow a call for some values of an argument only when everything else is allowed
    (a rule whose action is the default is refused, and a rule compares each argument once), so the
    filter refuses by default (EPERM) and allows every syscall libseccomp knows on this architecture but
    the denied ones, and the restricted ones for the arguments they may have. Syscalls newer than this
    libseccomp get ENOSYS, as from an older kernel: the C library then falls back to an older call that
    the filter judges (fchmodat2 to fchmodat). Calls of another ABI (32-bit or x32 on x86-64) are refused
    with EPERM rather than killing the process. A name libseccomp does not know is left out."""
    seccomp = _libseccomp()
    refuse = seccomp.ERRNO(errno.EPERM)
    rules = seccomp.SyscallFilter(refuse)
    rules.set_attr(seccomp.Attr.ACT_BADARCH, refuse)

    def own(arg: int, *values: int):
        return [seccomp.Arg(arg, seccomp.MASKED_EQ, LOW_32, value & LOW_32) for value in values]

    restricted = {
        # clone3's flags are in memory, out of a filter's reach: glibc then falls back to clone
        "clone3": [(seccomp.ERRNO(errno.ENOSYS),)],
        "clone": [(seccomp.ALLOW, seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, CLONE_THREAD))],
        # a file's mapping (bounded by RLIMIT_FSIZE), or private memory (RLIMIT_DATA): never shared anonymous
        "mmap": [(seccomp.ALLOW, seccomp.Arg(3, seccomp.MASKED_EQ, MAP_ANONYMOUS, 0)),
                 (seccomp.ALLOW, seccomp.Arg(3, seccomp.MASKED_EQ, MAP_TYPE, MAP_PRIVATE))],
        # itself or its own group; never -1 (every process it may signal), which pid 1 would otherwise allow
        "kill": [(seccomp.ALLOW, arg) for arg in own(0, 0, pid, *([-pid] if pid > 1 else []))],
        **{name: [(seccomp.ALLOW, arg) for arg in own(0, 0, pid)] for name in ("tgkill", *OWN_PID_FIRST)},
        **{name: [(seccomp.ALLOW, *own(0, which), arg) for arg in own(1, 0, pid)]
           for name, which in OWN_PID_SECOND.items()},
    }
    known = _known_syscalls()
    for name, number in known.items():
        if name not in DENIED and name not in restricted:
            rules.add_rule(seccomp.ALLOW, number)
    for name, conditions in restricted.items():
        if name in known:
            for action, *args in conditions:
                rules.add_rule(action, known[name], *args)
    for number in range(max(known.values(), default=SYSCALL_BOUND - 1) + 1, SYSCALL_BOUND):
        rules.add_rule(seccomp.ERRNO(errno.ENOSYS), number)
    return rules


if platform.system() == "Linux" and platform.machine() in ARCHES and _libseccomp() is not None:
    _known_syscalls()  # once, in the forkserver that imports this module, rather than in every child
