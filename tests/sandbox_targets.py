"""Functions the sandbox tests run in child processes (importable there through pytest's pythonpath)."""

import os
import subprocess
import sys
import time
from pathlib import Path


def write_ok() -> None:
    print("hello from the child")
    Path("done.txt").write_text("ok")


def sleep_forever() -> None:
    while True:
        time.sleep(1)


def exit_hard(code: int) -> None:
    os._exit(code)


def allocate(gigabytes: float) -> None:
    try:
        block = bytearray(int(gigabytes * 1024**3))
        Path("allocated.txt").write_text(str(len(block)))
    except MemoryError:
        Path("memory_error.txt").write_text("MemoryError")


def spawn_sleeper_then_hang() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    Path("grandchild.pid").write_text(str(child.pid))
    time.sleep(600)


def flood(lines: int) -> None:
    for i in range(lines):
        print(f"line {i} " + "x" * 100)
        print(f"err {i}", file=sys.stderr)


def try_escape(secret: str, outside: str, existing: str, grader: int) -> None:
    """Attempts a confined child must fail at; records each outcome in attempts.json. ``grader``: the pid of
    the process that started it (its parent's number is out of view in a PID namespace of its own)."""
    import json
    import resource
    import socket
    import threading

    import autograder

    def attempt(action) -> str:
        try:
            action()
            return "ok"
        except OSError as exc:
            return type(exc).__name__

    attempts = {
        "write_own_folder": attempt(lambda: Path("mine.txt").write_text("x")),
        "write_outside": attempt(lambda: Path(outside).write_text("x")),
        "read_secret": attempt(lambda: Path(secret).read_text()),
        "read_kit": attempt(lambda: Path(autograder.__file__).read_text()),
        "fork": attempt(lambda: os.waitpid(os.fork() or os._exit(0), 0)),
        "signal_grader": attempt(lambda: os.kill(grader, 0)),
        "thread": attempt(lambda: threading.Thread(target=lambda: None).start()),
        "udp_socket": attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM)),
        "unix_socket": attempt(lambda: socket.socket(socket.AF_UNIX)),
        "limit_grader": attempt(lambda: resource.prlimit(grader, resource.RLIMIT_AS, (1, 1))),
        "limit_self": attempt(lambda: resource.setrlimit(resource.RLIMIT_CORE, (0, 0))),
        "renice_grader": attempt(lambda: os.setpriority(os.PRIO_PROCESS, grader, 19)),
        "renice_user": attempt(lambda: os.setpriority(os.PRIO_USER, 0, 19)),
        "renice_self": attempt(lambda: os.setpriority(os.PRIO_PROCESS, 0, 1)),
        "named_pipe": attempt(lambda: os.mkfifo("pipe")),
        "symlink": attempt(lambda: os.symlink("/", "root")),
        "chmod_outside": attempt(lambda: os.chmod(existing, 0o777)),
        "touch_outside": attempt(lambda: os.utime(existing, (0, 0))),
        "shared_memory": attempt(lambda: os.memfd_create("bomb")),
    }
    Path("attempts.json").write_text(json.dumps(attempts))


def write_tensorflow_settings() -> None:
    import json

    import tensorflow as tf
    from tensorflow.python.framework import config  # the only reader of the determinism flag

    Path("settings.json").write_text(json.dumps({
        "intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads(),
        "inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads(),
        "op_determinism": config.is_op_determinism_enabled(),
        "graph_optimizer_off": tf.config.optimizer.get_experimental_options().get("disable_meta_optimizer"),
    }))


def write_preloaded_modules() -> None:
    import json

    Path("modules.json").write_text(json.dumps(sorted(sys.modules)))


def write_variables_created_by_first_fit() -> None:
    """How many optimizer and metric variables the first ``fit`` of a given model had to create."""
    import json

    from autograder.course import datasets
    from autograder.spec import GivenModel

    model = GivenModel("overfitting_mlp", {"input_dim": 20}).materialize(seed=0)
    count = lambda: (len(model.optimizer.variables), sum(len(m.variables) for m in model.metrics))  # noqa: E731
    before = count()
    splits = datasets.load("noisy_blobs")
    model.fit(splits.x_train, splits.y_train, validation_data=(splits.x_val, splits.y_val), epochs=1, verbose=0)
    Path("created.json").write_text(json.dumps({"before": before, "after": count(),
                                                "weights": len(model.trainable_weights)}))


def write_hidden_library_state() -> None:
    """Whether the child started with matplotlib and scikit-learn loaded, and whether a student's import of
    each works."""
    import json

    started_with = {name: name in sys.modules for name in ("matplotlib", "sklearn")}
    import matplotlib.pyplot as plt
    from sklearn.linear_model import LogisticRegression

    Path("libraries.json").write_text(json.dumps({
        "matplotlib": {"started_with": started_with["matplotlib"], "imports": callable(plt.figure)},
        "sklearn": {"started_with": started_with["sklearn"], "imports": callable(LogisticRegression().fit)},
    }))


def write_predictions_beside_predict() -> None:
    """The grader's accuracy and predictions against ``model.predict`` on a model that behaves differently
    in training (dropout, batch statistics), over more samples than one batch."""
    import json

    import keras
    import numpy as np

    from autograder.measure.observations import accuracy, predictions

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.BatchNormalization(), keras.layers.Dropout(0.5),
                              keras.layers.Dense(3, activation="softmax")])
    x = np.random.default_rng(0).normal(size=(300, 6))  # float64, as sklearn's arrays arrive
    y = np.arange(300) % 3
    measured = accuracy(model, x, y)
    traced = model.predict_function is not None
    expected = model.predict(x, batch_size=256, verbose=0)
    Path("predictions.json").write_text(json.dumps({
        "identical": bool(np.array_equal(predictions(model, x), expected)),
        "accuracy": measured, "accuracy_from_predict": float((expected.argmax(axis=1) == y).mean()),
        "traced_predict": traced}))


def write_floor_clock_calls() -> None:
    """How many model evaluations the in-process benchmark's clock counts for one accuracy measurement."""
    import importlib.util
    import json

    import keras
    import numpy as np
    from helpers import COURSE

    from autograder.measure import observations

    spec = importlib.util.spec_from_file_location("bench_inprocess", COURSE.root / "benchmarks" / "inprocess.py")
    inprocess = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(inprocess)
    clock = inprocess.ComputeClock().install()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    observations.accuracy(model, np.zeros((10, 4)), np.zeros(10))
    Path("clock.json").write_text(json.dumps({"calls": clock.calls, "seconds": clock.seconds}))


def write_grader_training_per_epoch_and_per_batch() -> None:
    """The grader's own training (``Trained``) of a model with dropout and batch statistics, once as it
    runs (a whole epoch per call into TensorFlow) and once with one call per batch."""
    import json

    import keras

    from autograder.children import handback
    from autograder.measure import observations
    from autograder.measure.observations import Context
    from autograder.spec import Recipe, Trained

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(32, activation="relu"),
                              keras.layers.BatchNormalization(), keras.layers.Dropout(0.3),
                              keras.layers.Dense(10, activation="softmax")])
    handback.save(model, "model", Path.cwd(), "build")
    trained = Trained(Recipe("digits_flat", epochs=3, batch_size=16))
    per_epoch = trained.measure(Context(Path.cwd(), None))
    observations.STEPS_PER_CALL = 1
    per_batch = trained.measure(Context(Path.cwd(), None))
    Path("trained.json").write_text(json.dumps({"per_epoch": per_epoch, "per_batch": per_batch}))


def finish_steps(durations: list[float]) -> None:
    """Works ``durations`` seconds per step, leaving ``step<i>.done`` after each."""
    for index, seconds in enumerate(durations):
        time.sleep(seconds)
        Path(f"step{index}.done").write_text("done")


def write_callback_round_trips() -> None:
    """Callbacks handed back as settings and rebuilt by the grader (``probes.training``)."""
    import json

    import keras

    from autograder.children import handback
    from autograder.measure.probes import training

    found = {}
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=4, restore_best_weights=True, baseline=0.3)
    settings = handback.callback_settings(stop, "make")
    rebuilt, _ = training.rebuild_callback(settings, Path.cwd())
    found["early_stopping"] = settings
    found["rebuilt_equal"] = handback.callback_settings(rebuilt, "make") == settings
    escape = handback.callback_settings(keras.callbacks.ModelCheckpoint("../../outside.keras"), "make")
    rebuilt, path = training.rebuild_callback(escape, Path.cwd())
    found["checkpoint_path"] = [str(path), rebuilt.filepath]
    for name, value in (("lambda", keras.callbacks.LambdaCallback(on_epoch_end=print)), ("string", "val_loss")):
        try:
            settings = handback.callback_settings(value, "make")
            training.rebuild_callback(settings, Path.cwd())
        except (handback.WrongReturn, ValueError) as exc:
            found[name] = str(exc)
    Path("callbacks.json").write_text(json.dumps(found))


def write_what_holds_the_secret(secret: str, grader_pid: int, secret_file: str) -> None:
    """Where a child could find the course secret: its own environment (as Python and as the kernel shows
    the one it started with), the environments of the forkserver and the grading process, and the
    course's secret file."""
    import json

    def shows(path: str) -> str:
        try:
            return "yes" if secret.encode() in Path(path).read_bytes() else "no"
        except OSError as exc:
            return type(exc).__name__

    Path("environment.json").write_text(json.dumps({
        "os_environ": "yes" if any(secret in value for value in os.environ.values()) else "no",
        "own_proc": shows("/proc/self/environ"),
        "forkserver_proc": shows(f"/proc/{os.getppid()}/environ"),
        "grader_proc": shows(f"/proc/{grader_pid}/environ"),
        "secret_file": shows(secret_file),
    }))


def look_around(classmate: str) -> None:
    """What a confined child sees of the machine; records each finding in seen.json."""
    import json

    def attempt(action):
        try:
            return action()
        except OSError as exc:
            return type(exc).__name__

    status = Path("/proc/self/status").read_text()
    seen = {
        "uid": os.getuid(),
        "capabilities": next(line.split()[1] for line in status.splitlines() if line.startswith("CapEff:")),
        "interfaces": attempt(lambda: sorted(line.split(":")[0].strip() for line in
                                             Path("/proc/self/net/dev").read_text().splitlines()[2:])),
        "classmate": attempt(lambda: Path(classmate).read_text()),
        "grader_cmdline": attempt(lambda: Path(f"/proc/{os.getppid()}/cmdline").read_bytes().decode()),
        "processes": attempt(lambda: len(os.listdir("/proc"))),
        "etc_shadow": attempt(lambda: Path("/etc/shadow").read_text()),
        "home": attempt(lambda: os.listdir(os.path.expanduser("~"))),
        "real_time": attempt(lambda: os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))),
        "numpy": attempt(lambda: __import__("numpy").ones(3).sum().item()),
    }
    Path("seen.json").write_text(json.dumps(seen))


def write_files(count: int, kilobytes: int, then_sleep: float = 0.0) -> None:
    """``count`` files of ``kilobytes`` each in a folder of the child's own, then (optionally) a rest."""
    os.makedirs("made", exist_ok=True)
    block = os.urandom(1024) * kilobytes
    for index in range(count):
        Path("made", str(index)).write_bytes(block)
    time.sleep(then_sleep)


def write_open_files_limit() -> None:
    import resource

    Path("open_files.txt").write_text(" ".join(map(str, resource.getrlimit(resource.RLIMIT_NOFILE))))


def hold_deleted(megabytes: int, how: str) -> None:
    """Writes a file, deletes it and keeps it (``how``: "open", or "mapped" and closed), then rests: no
    folder lists it, yet it takes disk."""
    import mmap

    size = megabytes * 1024**2
    fd = os.open("hidden.bin", os.O_RDWR | os.O_CREAT, 0o600)
    os.unlink("hidden.bin")
    os.write(fd, os.urandom(1024**2) * megabytes)
    kept = [fd] if how == "open" else [mmap.mmap(fd, size, mmap.MAP_SHARED)]
    if how == "mapped":
        os.close(fd)
    time.sleep(60)
    print(len(kept))


def map_repeatedly(gigabytes: float) -> None:
    """Maps a file read-only over and over (RLIMIT_DATA does not count such mappings); records how far it got."""
    import mmap

    import tensorflow

    with open(Path(tensorflow.__file__).parent / "libtensorflow_cc.so.2", "rb") as file:  # some 800 MB
        size = os.fstat(file.fileno()).st_size
        kept = []
        try:
            while len(kept) * size < gigabytes * 1024**3:
                kept.append(mmap.mmap(file.fileno(), size, prot=mmap.PROT_READ))
            Path("mapped.txt").write_text(str(len(kept) * size))
        except OSError as exc:
            Path("refused.txt").write_text(f"{type(exc).__name__} after {len(kept) * size} bytes")


def fill_memory(megabytes: int) -> None:
    """Touch every page of ``megabytes`` (RLIMIT_DATA allowing it), then say which cgroups this process is in."""
    block = b"x" * (megabytes * 1024**2)
    Path("filled.txt").write_text(f"{len(block)}\n{Path('/proc/self/cgroup').read_text()}")


def create_timers(count: int) -> None:
    """Create up to ``count`` POSIX timers (each holds a queued signal of its own); write how many it got."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    created = 0
    for _ in range(count):
        timer = ctypes.c_void_p()
        if libc.timer_create(1, None, ctypes.byref(timer)) != 0:  # CLOCK_MONOTONIC, a SIGALRM when it fires
            break
        created += 1
    Path("timers.txt").write_text(str(created))
