"""Confining the untrusted child with the kernel's own unprivileged sandboxing (Linux only).

Resource limits stop a child from exhausting the machine; they do not stop it from acting on it. The
child runs as the grader's user, so without more it could overwrite the course's files, read the
reference solutions, kill the grader or leave a process behind that rewrites grades later. Before the
student's code is imported, the child therefore confines itself, for good (nothing can undo either):

- Landlock (Linux 5.13+): it may read everything except the course's solutions, cache, history and
  the grader's output folder, write only inside its run directory, open no TCP connection (6.7+), and
  signal or trace no process outside itself (6.12+; ptrace is refused on every version).
- seccomp: it may start threads but no processes, so a fork bomb or a daemon outliving the run fails
  at its first fork; and it may signal only itself.

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

# seccomp: syscall numbers by architecture (audit arch, then name -> number; None: no such syscall).
ARCHES = {
    "x86_64": (0xC000003E, dict(clone=56, fork=57, vfork=58, clone3=435, kill=62, tkill=200, tgkill=234,
                               ptrace=101, process_vm_writev=311, pidfd_send_signal=424)),
    "aarch64": (0xC00000B7, dict(clone=220, fork=None, vfork=None, clone3=435, kill=129, tkill=130, tgkill=131,
                                ptrace=117, process_vm_writev=271, pidfd_send_signal=424)),
}
CLONE_THREAD = 0x10000
X32_SYSCALL_BIT = 0x40000000


@dataclass(frozen=True)
class Confinement:
    """What the child may read besides the world (its submission folder) and must not (course secrets)."""

    readable: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()


_extra_hidden: list[str] = []


def hide(path: Path) -> None:
    """Keep ``path`` (e.g. the grader's output folder) from every confined child started afterwards."""
    _extra_hidden.append(str(Path(path).resolve()))


def for_submission(folder: Path) -> Confinement:
    from autograder.course import Course

    course = Course.locate()
    hidden = (course.solutions, course.root / ".tfgrade", course.root / ".git")
    return Confinement(readable=(str(folder),), hidden=tuple(str(p) for p in hidden) + tuple(_extra_hidden))


def apply(run_dir: Path, confinement: Confinement) -> list[str]:
    """Confine this process (and every thread it starts later); returns what was applied.

    Must run while the process has a single thread: both mechanisms bind the calling thread and
    the threads it creates afterwards, not threads that already exist."""
    libc = ctypes.CDLL(None, use_errno=True)
    if platform.system() != "Linux" or libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return []
    applied = []
    if _landlock(libc, run_dir, confinement):
        applied.append("landlock")
        # Temporary files (Keras writes some while saving) go where writing is still allowed.
        os.environ["TMPDIR"] = tempfile.tempdir = str(run_dir)
    if _seccomp(libc):
        applied.append("seccomp")
    return applied


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
        for path in _readable_roots([Path(p) for p in confinement.hidden]) + list(confinement.readable):
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


def _readable_roots(hidden: list[Path]) -> list[str]:
    """Folders and files that cover the whole file system except the hidden paths: from ``/`` down
    to each hidden path, every sibling on the way is readable with everything below it."""
    hidden_set = {p.resolve() for p in hidden}
    on_the_way = {parent for p in hidden_set for parent in p.parents}
    roots: list[str] = []
    todo = [Path("/")]
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


def _filter(audit_arch: int, calls: dict[str, int | None], pid: int) -> list[tuple[int, int, int, int]]:
    """A BPF program: no new processes, signals only to this process, no tracing of others.

    Written with labels, resolved to jump offsets at the end. Offsets 0, 4 and 16 of
    ``struct seccomp_data`` hold the syscall number, the architecture and the low half of arg 0."""
    asm: list[tuple] = [
        ("ld", 4), ("jeq", audit_arch, None, "deny"),  # another ABI (32-bit calls): refused outright
        ("ld", 0), ("jge", X32_SYSCALL_BIT, "deny", None),
        ("jeq", calls["clone3"], "nosys", None),  # its flags are out of reach: glibc then uses clone
        ("jeq", calls["clone"], "clone", None),
    ]
    for name in ("fork", "vfork", "tkill", "ptrace", "process_vm_writev", "pidfd_send_signal"):
        if calls[name] is not None:
            asm.append(("jeq", calls[name], "deny", None))
    asm += [
        ("jeq", calls["kill"], "kill", None), ("jeq", calls["tgkill"], "tgkill", None),
        ("ret", RET_ALLOW),
        ("label", "clone"), ("ld", 16), ("jset", CLONE_THREAD, "allow", "deny"),
        ("label", "kill"), ("ld", 16), ("jeq", 0, "allow", None), ("jeq", (-pid) & 0xFFFFFFFF, "allow", None),
        ("jeq", pid, "allow", "deny"),
        ("label", "tgkill"), ("ld", 16), ("jeq", pid, "allow", "deny"),
        ("label", "allow"), ("ret", RET_ALLOW),
        ("label", "deny"), ("ret", RET_ERRNO | errno.EPERM),
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
            jt, jf = (0 if target is None else labels[target] - here for target in item[2:4])
            program.append(({"jeq": BPF_JEQ, "jge": BPF_JGE, "jset": BPF_JSET}[op], jt, jf, item[1]))
    return program
