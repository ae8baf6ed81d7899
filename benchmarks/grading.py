"""How fast tfgrade grades, against nbgrader and against the training floor (targets: docs/performance.md).

One run prints, on the current machine, first how fast the machine is that day (a fresh
interpreter's ``import tensorflow`` against the machine where the targets were set, and a fixed Python loop),
then:

  (a) one full submission (the reference solutions, every check, hidden cases included): wall time
      and peak memory, in total and per exercise. The reference's observations are computed and
      cached first, so the figure is grading time, not reference computation;
  (b) throughput of ``tfgrade grade`` on a batch of copies of the solutions, with 1 and 2 workers;
  (c) the same exercises graded by ``nbgrader autograde`` (the course built by ``tfgrade nbgrader
      init``), or, while that command does not exist, each exercise's cases run in a fresh Jupyter
      kernel (what nbgrader does per notebook), and the ratio to tfgrade;
  (d) the floor: the time spent inside Keras' fit / evaluate / predict and the grader's own
      predictions when the same grading runs in one warm process, and (a)'s wall time as a multiple
      of it;
  (e) ``tfgrade check`` latency for one exercise from a shell command, start-up included: the first
      check (it starts the warm grader), the following ones, one without the warm grader, and each
      chosen exercise once;

  (r) a realistic batch (``benchmarks/corpus.py``: correct, alternative-correct and wrong submissions,
      ``--realistic N`` of them, ``--mix``, ``--realistic-seed``): throughput of ``tfgrade grade`` with 1
      and 2 workers against its in-process floor (``inprocess.py --batch``); with a Dask LocalCluster
      (``--cluster local:2``, when ``tfgrade grade`` has it); ``nbgrader autograde`` of the same
      submissions as notebooks; one full submission pinned to one core (``taskset -c 0``); and the
      incremental regrade after one exercise file of one submission changes, against a full grade of it;

then where (a)'s time goes (start-up, child processes, measuring, training). ``--json FILE``
writes every figure. Timings taken while other work runs on the machine are inflated: the load
average is printed before and after.

    python benchmarks/grading.py                    # the full benchmark (several minutes)
    python benchmarks/grading.py --quick --skip-nbgrader   # a smoke run: 3 exercises, batches of 4
    python benchmarks/grading.py --exercise 6 --exercise 9 --batch-size 10 --json bench.json
    python benchmarks/grading.py --realistic 40 --mix 50,20,30 --realistic-seed 7   # a bigger realistic batch
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUICK_EXERCISES = ("ex01", "ex02", "ex09")  # cheap, and ex09 trains inside the student's function
QUICK_BATCH = 4
REALISTIC_BATCH = 20  # the realistic batch's default size (--realistic)
CHECK_EXERCISE = "ex02"
BIN = Path(sys.executable).parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/grading.py", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: exercises {', '.join(QUICK_EXERCISES)}, a batch and a realistic batch "
                             f"of {QUICK_BATCH}, one check run")
    parser.add_argument("--exercise", dest="exercises", action="append", metavar="N", default=None,
                        help="benchmark only these exercises (repeatable; number, id or name)")
    parser.add_argument("--batch-size", type=int, default=None, help="submissions in the batch of (b) (default 20)")
    parser.add_argument("--check-runs", type=int, default=None, help="runs of `tfgrade check` in (e) (default 3)")
    parser.add_argument("--skip-nbgrader", action="store_true", help="leave out (c) and the nbgrader figure of (r)")
    parser.add_argument("--no-reuse", action="store_true",
                        help="in (a) and (d), never reuse the reference's training for an identical architecture: "
                             "the cost of a submission whose every model differs from the reference's")
    parser.add_argument("--realistic", type=int, default=None, metavar="N",
                        help=f"submissions in the realistic batch of (r) (default {REALISTIC_BATCH}, "
                             f"{QUICK_BATCH} with --quick; 0 leaves (r) out)")
    parser.add_argument("--realistic-seed", type=int, default=None, metavar="SEED",
                        help="the seed the realistic batch is drawn with (default: benchmarks/corpus.py's)")
    parser.add_argument("--mix", default="50,20,30", metavar="C,A,W",
                        help="weights of correct, alternative-correct and wrong submissions in (r) (default 50,20,30)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write every figure here")
    args = parser.parse_args(argv)
    if args.realistic is None:
        args.realistic = QUICK_BATCH if args.quick else REALISTIC_BATCH
    if args.realistic < 0:
        parser.error("--realistic must be at least 0")
    corpus = load_corpus()
    if args.realistic_seed is None:
        args.realistic_seed = corpus.DEFAULT_SEED
    try:
        args.mix = corpus.parse_mix(args.mix)
    except ValueError as exc:
        parser.error(str(exc))
    if args.exercises is None:
        args.exercises = list(QUICK_EXERCISES) if args.quick else []
    if args.batch_size is None:
        args.batch_size = QUICK_BATCH if args.quick else 20
    if args.check_runs is None:
        args.check_runs = 1 if args.quick else 3
    if args.batch_size < 1 or args.check_runs < 1:
        parser.error("--batch-size and --check-runs must be at least 1")
    return args


# ------------------------------------------------------------------------------------------- machine


def machine_info() -> dict[str, Any]:
    """What the figures were measured on. Reads versions from package metadata: no TensorFlow import."""
    return {"cpu": _cpu_model(), "cores": os.cpu_count(), "ram_gib": round(_ram_bytes() / 1024**3, 1),
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "tensorflow": _version("tensorflow-cpu") or _version("tensorflow"), "keras": _version("keras"),
            "nbgrader": _version("nbgrader"), "load_average": _load_average()}


# The machine where the targets (docs/performance.md) were set imports TensorFlow in 3.7-4.1 s (warm).
REFERENCE_TENSORFLOW_IMPORT_SECONDS = 3.9


def speed_probe(runs: int = 2) -> dict[str, float]:
    """How fast this machine is today, in figures that do not depend on tfgrade: a fresh interpreter's
    ``import tensorflow`` (best of ``runs``) and a fixed pure-Python loop. The same VM has imported
    TensorFlow in 14 s one day and 27 s another, so compare figures only alongside these."""
    def best(code: str) -> float:
        times = []
        for _ in range(runs):
            started = time.monotonic()
            subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
            times.append(time.monotonic() - started)
        return min(times)

    baseline = best("pass")
    tensorflow = best("import tensorflow") - baseline
    return {"tensorflow_import_seconds": round(tensorflow, 2),
            "python_loop_seconds": round(best("sum(i * i for i in range(10**7))") - baseline, 2),
            "slower_than_reference_machine": round(tensorflow / REFERENCE_TENSORFLOW_IMPORT_SECONDS, 2)}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_bytes() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


# -------------------------------------------------------------------------------------------- memory


class PeakMemory:
    """Peak resident memory of a process tree, sampled every 100 ms: the sum over the tree and the largest
    single process. The sum counts pages a forked child shares with the forkserver (TensorFlow's) once per
    process, so it is an upper bound. Proportional figures (PSS) would need /proc/PID/smaps_rollup, which
    costs the kernel about 0.1-0.5 s per TensorFlow process and read: sampling would skew the timings."""

    INTERVAL = 0.1

    def __init__(self, root_pid: int | None = None) -> None:
        self.root_pid = root_pid or os.getpid()
        self.peak_sum = self.peak_single = 0
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def __enter__(self) -> "PeakMemory":
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()

    def _sample_until_stopped(self) -> None:
        sample = self._sample_proc if Path("/proc/self/statm").exists() else self._sampler_psutil()
        if sample is None:
            self._stop.wait()
            return self._from_rusage()
        while not self._stop.wait(self.INTERVAL):
            sizes = sample()
            if sizes:
                self.peak_sum, self.peak_single = max(self.peak_sum, sum(sizes)), max(self.peak_single, max(sizes))

    def _sample_proc(self) -> list[int]:
        """Linux: walk /proc/PID/task/*/children from the root; RSS from statm. No process is scanned twice."""
        sizes, todo, seen = [], [self.root_pid], set()
        while todo:
            pid = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            try:
                sizes.append(int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self._page)
                for task in Path(f"/proc/{pid}/task").iterdir():
                    todo.extend(int(child) for child in (task / "children").read_text().split())
            except (OSError, ValueError, IndexError):
                continue
        return sizes

    def _sampler_psutil(self) -> Callable[[], list[int]] | None:
        try:
            import psutil
        except ImportError:
            return None

        def sample() -> list[int]:
            try:
                root = psutil.Process(self.root_pid)
                processes = [root, *root.children(recursive=True)]
            except psutil.Error:
                return []
            sizes = []
            for process in processes:
                try:
                    sizes.append(process.memory_info().rss)
                except psutil.Error:
                    pass
            return sizes
        return sample

    def _from_rusage(self) -> None:
        """Neither /proc nor psutil: the largest single process that has ended (or this one)."""
        import resource

        scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
        self.peak_single = scale * max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                       resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        self.peak_sum = self.peak_single

    def to_dict(self) -> dict[str, float]:
        return {"peak_rss_sum_mib": round(self.peak_sum / 1024**2),
                "peak_rss_largest_mib": round(self.peak_single / 1024**2)}


# --------------------------------------------------------------------------------- (a) one submission


class ChildLog:
    """Records every sandboxed child of this process: which exercise, which target, its wall seconds."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __enter__(self) -> "ChildLog":
        from autograder import sandbox

        self._original = original = sandbox.run_isolated

        def logged(target: str, kwargs: dict[str, Any], **options: Any) -> Any:
            outcome = original(target, kwargs, **options)
            self.calls.append({"exercise": kwargs.get("exercise_id") or _exercise_of(options.get("workdir")),
                               "target": target, "seconds": outcome.seconds})
            return outcome

        sandbox.run_isolated = logged
        return self

    def __exit__(self, *exc: Any) -> None:
        from autograder import sandbox

        sandbox.run_isolated = self._original

    def seconds(self, exercise: str, target: str) -> tuple[int, float]:
        chosen = [c["seconds"] for c in self.calls if c["exercise"] == exercise and c["target"] == target]
        return len(chosen), sum(chosen)


def _exercise_of(workdir: Any) -> str | None:
    """The exercise a child works for, from its folder: grading makes one per exercise, ``tfgrade-<id>-...``
    (the children's arguments do not name the exercise)."""
    import re

    found = re.search(r"tfgrade-(ex\d+)-", str(workdir or ""))
    return found.group(1) if found else None


RUN_TARGET = "autograder.children.run:run_cases"
MEASURE_TARGET = "autograder.children.measure:measure_runs"


def start_forkserver() -> float:
    """Starts this process's forkserver and waits until it can fork (it imports TensorFlow first:
    ``warm_up`` alone returns before that); returns its seconds."""
    started = time.monotonic()
    noop_child()
    return time.monotonic() - started


def noop_child(confined: bool = False) -> float:
    """Runs a child that does nothing (``confined``: but confine itself as a run child does, with its
    submission the folder it works in); returns its wall seconds."""
    from autograder import sandbox
    from autograder.sandbox import confine

    sandbox.warm_up()
    with tempfile.TemporaryDirectory(prefix="tfgrade-bench-noop-") as workdir:
        confinement = confine.for_submission(Path(workdir)) if confined else None
        return sandbox.run_isolated("os:getpid", {}, workdir=Path(workdir), limits=sandbox.Limits(wall_seconds=600),
                                    confinement=confinement).seconds


def warm_reference(exercises: list[Any]) -> float:
    """Computes and caches the reference's observations of every case; returns the seconds (0 when cached)."""
    from autograder.course import Course
    from autograder.grading.reference import ComputedReference

    reference = ComputedReference(Course.locate())
    started = time.monotonic()
    for exercise in exercises:
        reference.observations(exercise, exercise.cases)
    return time.monotonic() - started


def child_overhead(samples: int = 9, confined: bool = False) -> float:
    """Median wall seconds of a child that does nothing: fork, limits, determinism set-up, kill, join (and,
    ``confined``, its namespaces, new root, PID namespace's extra fork, Landlock and seccomp)."""
    return statistics.median(noop_child(confined) for _ in range(samples))


class WithoutReuse:
    """Grading as if no measurement could reuse the reference's (``--no-reuse``)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __enter__(self) -> None:
        from autograder.grading import runs

        self._original = original = runs.run_and_measure
        if self.enabled:
            runs.run_and_measure = lambda *args, reference=None, **kwargs: original(*args, **kwargs)

    def __exit__(self, *exc: Any) -> None:
        from autograder.grading import runs

        runs.run_and_measure = self._original


def grade_one_submission(exercises: list[Any], reuse: bool = True) -> dict[str, Any]:
    from autograder.course import Course
    from autograder.grading.grade import grade_submission
    from autograder.grading.reference import ComputedReference
    from autograder.spec import ALL

    course = Course.locate()
    with ChildLog() as children, PeakMemory() as memory, WithoutReuse(not reuse):
        started = time.monotonic()
        result = grade_submission(course.solutions, exercises, ALL, ComputedReference(course))
        wall = time.monotonic() - started
    rows = []
    for graded in result.exercises:
        run_children, run_seconds = children.seconds(graded.exercise, RUN_TARGET)
        measured, measure_seconds = children.seconds(graded.exercise, MEASURE_TARGET)
        rows.append({"exercise": graded.exercise, "seconds": round(graded.seconds, 2),
                     "cases": len(graded.details), "run_children": run_children, "measured": measured,
                     "run_children_seconds": round(run_seconds, 2), "measure_seconds": round(measure_seconds, 2),
                     "score": graded.score, "possible": graded.possible})
    return {"wall_seconds": round(wall, 2), "score": result.score, "possible": result.possible,
            "exercises": rows, **memory.to_dict()}


# ------------------------------------------------------------------------------------------ (b) batch


def exercise_flags(exercises: list[Any], all_exercises: int) -> list[str]:
    if len(exercises) == all_exercises:
        return []
    return [flag for exercise in exercises for flag in ("--exercise", exercise.id)]


def make_batch(folder: Path, size: int, exercises: list[Any]) -> Path:
    """``size`` students, each a copy of the reference solutions of the chosen exercises."""
    solutions = ROOT / "solutions"
    for index in range(size):
        student = folder / f"student{index:02d}"
        student.mkdir(parents=True)
        for exercise in exercises:
            shutil.copy(solutions / exercise.filename, student / exercise.filename)
    return folder


def grade_batch(batch: Path, out: Path, workers: int, flags: list[str], size: int) -> dict[str, Any]:
    command = [str(BIN / "tfgrade"), "grade", str(batch), "--out", str(out), "--workers", str(workers), *flags]
    wall, done, memory = timed_command(command)
    if done.returncode != 0:
        raise BenchmarkError(f"`tfgrade grade --workers {workers}` exited {done.returncode}: {done.stderr[-2000:]}")
    return {"workers": workers, "submissions": size, "wall_seconds": round(wall, 2),
            "per_minute": round(size / wall * 60, 2), "seconds_per_submission": round(wall / size, 2),
            "full_marks": full_marks(out / "grades.csv"), **memory.to_dict()}


def full_marks(gradebook: Path) -> str:
    with open(gradebook, newline="") as handle:
        rows = list(csv.DictReader(handle))
    full = sum(1 for row in rows if float(row["total"]) == float(row["possible"]))
    return f"{full}/{len(rows)}"


def timed_command(command: list[str], cwd: Path | None = None,
                  env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess, PeakMemory]:
    """Runs a command with a peak-memory sampler on its process tree; returns its wall seconds."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakMemory(process.pid) as memory:
        stdout, stderr = process.communicate()
    wall = time.monotonic() - started
    return wall, subprocess.CompletedProcess(command, process.returncode, stdout, stderr), memory


class BenchmarkError(RuntimeError):
    pass


# ------------------------------------------------------------------------------- (r) realistic batch


def load_corpus() -> Any:
    """``benchmarks/corpus.py``, the realistic batch's generator (loaded by path: this file may be too)."""
    import importlib.util

    name = "tfgrade_benchmark_corpus"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH_DIR / "corpus.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def cluster_available() -> bool:
    """Whether ``tfgrade grade`` takes ``--cluster`` (a Dask cluster) on this checkout."""
    done = subprocess.run([str(BIN / "tfgrade"), "grade", "--help"], capture_output=True, text=True)
    return done.returncode == 0 and "--cluster" in done.stdout


def realistic_batch(workdir: Path, args: argparse.Namespace, exercises: list[Any], flags: list[str],
                    say: Callable[[str], None]) -> dict[str, Any]:
    """(r): the realistic batch written by ``benchmarks/corpus.py``, graded every way the issue asks."""
    corpus = load_corpus()
    loads: dict[str, str] = {}  # the load average as each step starts: the machine may be shared

    def step(name: str, text: str) -> None:
        loads[name] = _load_average()
        say(f"(r) {text} (load average {loads[name]})")

    batch = workdir / "realistic"
    planned = corpus.build(batch, args.realistic, args.realistic_seed, args.mix, [e.id for e in exercises])
    size = len(planned)
    figures: dict[str, Any] = {"size": size, "seed": args.realistic_seed, "mix": list(args.mix),
                               **corpus.summary(planned),
                               "expected_full_marks": sum(p.kind != "wrong" for p in planned),
                               "submissions": [p.to_dict() for p in planned], "batch": []}
    for workers in (1, 2):
        step(f"workers {workers}", f"the realistic batch of {size} with {workers} worker(s)")
        figures["batch"].append(grade_batch(batch, workdir / f"realistic-grades-{workers}", workers, flags, size))
    step("floor", "the realistic batch's floor in one warm process")
    floor = measure_floor(workdir, exercises, batch=batch)
    figures["floor"] = {key: floor[key] for key in ("import_seconds", "seconds", "compute", "compute_calls")}
    figures["floor"]["submissions"] = [{k: row[k] for k in ("submission", "seconds", "compute", "score", "possible")}
                                       for row in floor["submissions"]]
    figures["floor_ratio"] = {str(row["workers"]): _ratio(row["wall_seconds"], floor["compute"])
                              for row in figures["batch"]}
    local = next(row for row in figures["batch"] if row["workers"] == 2)
    if cluster_available():
        step("cluster", "the realistic batch on a 2-worker Dask LocalCluster")
        figures["cluster"] = grade_on_cluster(batch, workdir / "realistic-grades-cluster", flags, size, local)
    else:
        figures["cluster"] = {"available": False, "note": "not available: `tfgrade grade --help` shows no --cluster"}
    if args.skip_nbgrader:
        figures["nbgrader"] = {"available": False, "note": "left out (--skip-nbgrader)"}
    else:
        step("nbgrader", "nbgrader autograde of the realistic batch")
        try:
            nb = grade_batch_with_nbgrader(workdir, exercises, batch, [p.name for p in planned])
            figures["nbgrader"] = {**nb, "available": True, "ratio_to_tfgrade": _ratio(nb["wall_seconds"],
                                                                                       local["wall_seconds"])}
        except BenchmarkError as exc:
            figures["nbgrader"] = {"available": False, "note": f"nbgrader autograde failed: {exc}"[:2000]}
    step("one core", "one full submission pinned to one core")
    figures["one_core"] = one_core(workdir, batch, planned, flags)
    step("incremental", "regrading after one exercise file of one submission changed")
    figures["incremental"] = incremental_regrade(workdir, batch, planned, exercises, flags,
                                                 workdir / "realistic-grades-2")
    figures["load_averages"] = {**loads, "end": _load_average()}
    return figures


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 3) if whole > 0 else None


def grade_on_cluster(batch: Path, out: Path, flags: list[str], size: int, local: dict[str, Any]) -> dict[str, Any]:
    """``tfgrade grade --cluster local:2``: the batch on a 2-worker Dask LocalCluster, against the local
    2-worker batch (target: within 10 %)."""
    command = [str(BIN / "tfgrade"), "grade", str(batch), "--out", str(out), "--cluster", "local:2", *flags]
    wall, done, memory = timed_command(command)
    if done.returncode != 0:
        return {"available": True, "note": f"`tfgrade grade --cluster local:2` exited {done.returncode}: "
                                           f"{done.stderr[-1500:]}"}
    return {"available": True, "workers": "local:2", "submissions": size, "wall_seconds": round(wall, 2),
            "seconds_per_submission": round(wall / size, 2), "full_marks": full_marks(out / "grades.csv"),
            "ratio_to_local": _ratio(wall, local["wall_seconds"]), **memory.to_dict()}


def one_core(workdir: Path, batch: Path, planned: list[Any], flags: list[str]) -> dict[str, Any]:
    """``taskset -c 0 tfgrade grade`` of one full submission: the batch's submission with the most exercise
    files unlike the reference's (the first such), so the most training of its own."""
    taskset = shutil.which("taskset")
    chosen = max(planned, key=lambda p: len(p.changed)) if planned else None
    if taskset is None or chosen is None:
        return {"available": False, "note": "taskset is missing" if chosen else "an empty batch"}
    out = workdir / "realistic-one-core"
    command = [taskset, "-c", "0", str(BIN / "tfgrade"), "grade", str(batch / chosen.name), "--out", str(out),
               "--workers", "1", "--json", *flags]
    wall, done, memory = timed_command(command)
    if done.returncode != 0:
        raise BenchmarkError(f"`taskset -c 0 tfgrade grade` exited {done.returncode}: {done.stderr[-2000:]}")
    return {"available": True, "submission": chosen.name, "kind": chosen.kind, "changed": len(chosen.changed),
            "wall_seconds": round(wall, 2), **_score(done.stdout), **memory.to_dict()}


def _score(stdout: str) -> dict[str, Any]:
    try:
        result = json.loads(stdout)
        return {"score": result["score"], "possible": result["possible"]}
    except (ValueError, KeyError, TypeError):
        return {}


def incremental_regrade(workdir: Path, batch: Path, planned: list[Any], exercises: list[Any], flags: list[str],
                        out: Path) -> dict[str, Any]:
    """Regrade the batch (into ``out``, where it was graded with 2 workers) with nothing changed, then after one
    exercise file of one submission changed: the first wrong submission fixes its first mistake (the file
    becomes the reference's), or, with none, the first submission makes its first exercise's first
    misconception. Then a full grade of that submission alone, fresh, for comparison."""
    corpus = load_corpus()
    if not planned:
        return {"available": False, "note": "an empty batch"}
    by_id = {e.id: e for e in exercises}
    wrong = next((p for p in planned if p.kind == "wrong" and p.changed), None)
    if wrong is not None:
        student, exercise = wrong, by_id[wrong.changed[0]]
        change, data = f"fixed {exercise.id} ({wrong.files[exercise.id]})", corpus.reference_bytes(exercise)
    else:
        student = planned[0]
        exercise = next((e for e in exercises if corpus.wrong_variants(e)), exercises[0])
        variants = corpus.wrong_variants(exercise)
        if variants:
            change = f"{exercise.id} made wrong ({variants[0].name})"
            data = corpus.variant_bytes(exercise, tuple(variants[0].edits))
        else:
            change = f"{exercise.id} with a comment added"
            data = (batch / student.name / exercise.filename).read_bytes() + b"\n# resubmitted\n"
    command = [str(BIN / "tfgrade"), "grade", str(batch), "--out", str(out), "--workers", "2", *flags]
    unchanged, done, _ = timed_command(command)
    if done.returncode != 0:
        raise BenchmarkError(f"the regrade with nothing changed exited {done.returncode}: {done.stderr[-2000:]}")
    unchanged_said = _graded_line(done)
    (batch / student.name / exercise.filename).write_bytes(data)
    regrade, done, _ = timed_command(command)
    if done.returncode != 0:
        raise BenchmarkError(f"the regrade after the change exited {done.returncode}: {done.stderr[-2000:]}")
    said = _graded_line(done)
    full_command = [str(BIN / "tfgrade"), "grade", str(batch / student.name), "--out",
                    str(workdir / "realistic-resubmission-full"), "--workers", "2", "--json", *flags]
    full, done, _ = timed_command(full_command)
    if done.returncode != 0:
        raise BenchmarkError(f"the full grade of {student.name} exited {done.returncode}: {done.stderr[-2000:]}")
    return {"available": True, "submission": student.name, "change": change,
            "unchanged_regrade_seconds": round(unchanged, 2), "unchanged_regrade_said": unchanged_said,
            "regrade_seconds": round(regrade, 2),
            "regrade_said": said, "full_seconds": round(full, 2), **_score(done.stdout),
            "ratio": _ratio(regrade, full)}


def _graded_line(done: subprocess.CompletedProcess) -> str:
    """``tfgrade grade``'s closing line, e.g. "graded 1, 3 unchanged since the last run in 12 s", its folder
    left out. A regrade with nothing changed that grades anyone means something that decides grades changed
    between the runs (the kit's code, say, while someone edits it)."""
    lines = [line.strip() for line in (done.stdout + done.stderr).splitlines() if line.strip().startswith("graded ")]
    return lines[-1].split("; results in")[0] if lines else ""


# --------------------------------------------------------------------------------------- (c) nbgrader


def nbgrader_command_exists() -> bool:
    done = subprocess.run([str(BIN / "tfgrade"), "nbgrader", "--help"], capture_output=True, text=True)
    return done.returncode == 0


def grade_with_nbgrader(workdir: Path, exercises: list[Any]) -> dict[str, Any]:
    """``nbgrader autograde`` of one student whose notebooks are the course's source notebooks (the
    release notebooks with their solutions in place)."""
    course, assignment = workdir / "nbgrader-course", "bench"
    nbgrader_course(course, assignment, exercises)
    submitted = course / "submitted" / "bench_student" / assignment
    submitted.mkdir(parents=True)
    notebooks = sorted((course / "source" / assignment).glob("*.ipynb"))
    if len(notebooks) != len(exercises):
        raise BenchmarkError(f"`tfgrade nbgrader init` wrote {len(notebooks)} notebooks for {len(exercises)} exercises")
    for notebook in notebooks:
        shutil.copy(notebook, submitted / notebook.name)
    wall, done, memory = timed_command([str(BIN / "nbgrader"), "autograde", assignment, "--force"], cwd=course)
    if done.returncode != 0:
        raise BenchmarkError(f"`nbgrader autograde` exited {done.returncode}: {done.stderr[-2000:]}")
    return {"path": "nbgrader autograde", "notebooks": len(notebooks), "wall_seconds": round(wall, 2),
            **memory.to_dict()}


def nbgrader_course(course: Path, assignment: str, exercises: list[Any]) -> None:
    """The course ``tfgrade nbgrader init`` builds, its assignment generated."""
    run_checked([str(BIN / "tfgrade"), "nbgrader", "init", str(course), "--assignment", assignment,
                 *[flag for exercise in exercises for flag in ("--exercise", exercise.id)]])
    run_checked([str(BIN / "nbgrader"), "generate_assignment", assignment, "--force"], cwd=course)


def grade_batch_with_nbgrader(workdir: Path, exercises: list[Any], batch: Path, students: list[str]) -> dict[str, Any]:
    """``nbgrader autograde`` of every student of ``batch``: each exercise file becomes that student's notebook
    as ``tfgrade nbgrader init`` builds notebooks from a solution (``notebooks.build.notebook_text``). nbgrader
    restores the source's read-only cells, so an edit outside a solution region (an import added) is undone
    there: the time is comparable, a few grades may not be."""
    if not nbgrader_command_exists():
        raise BenchmarkError("`tfgrade nbgrader` is not available")
    from autograder.notebooks.build import notebook_text

    course, assignment = workdir / "nbgrader-realistic", "bench"
    nbgrader_course(course, assignment, exercises)
    for student in students:
        submitted = course / "submitted" / student / assignment
        submitted.mkdir(parents=True)
        for exercise in exercises:
            source = (batch / student / exercise.filename).read_text()
            (submitted / f"{exercise.module_name}.ipynb").write_text(notebook_text(exercise, source))
    wall, done, memory = timed_command([str(BIN / "nbgrader"), "autograde", assignment, "--force"], cwd=course)
    if done.returncode != 0:
        raise BenchmarkError(f"`nbgrader autograde` exited {done.returncode}: {done.stderr[-2000:]}")
    return {"path": "nbgrader autograde", "submissions": len(students), "notebooks": len(students) * len(exercises),
            "wall_seconds": round(wall, 2), "seconds_per_submission": round(wall / max(1, len(students)), 2),
            **memory.to_dict()}


def run_checked(command: list[str], cwd: Path | None = None) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchmarkError(f"`{' '.join(command[:3])}` exited {done.returncode}: {done.stderr[-2000:]}")


def grade_in_kernels(workdir: Path, exercises: list[Any]) -> dict[str, Any]:
    """What nbgrader does per notebook, without nbgrader: a fresh Jupyter kernel per exercise that imports
    TensorFlow and runs the exercise's cases and measurements in the kernel (``benchmarks/inprocess.py``)."""
    from jupyter_client.manager import start_new_kernel

    rows = []
    with PeakMemory() as memory:
        for exercise in exercises:
            out = workdir / f"kernel-{exercise.id}.json"
            code = (f"import sys; sys.path[:0] = [{str(BENCH_DIR)!r}, {str(ROOT)!r}]\n"
                    f"import inprocess; inprocess.main(['--exercise', {exercise.id!r}, '--out', {str(out)!r}])")
            started = time.monotonic()
            manager, client = start_new_kernel(kernel_name="python3", cwd=str(workdir))
            try:
                reply = client.execute_interactive(code, timeout=1800, output_hook=lambda message: None)
            finally:
                client.stop_channels()
                manager.shutdown_kernel(now=True)
            if reply["content"]["status"] != "ok":
                raise BenchmarkError(f"the kernel for {exercise.id} failed: {reply['content'].get('evalue')}")
            graded = json.loads(out.read_text())
            rows.append({"exercise": exercise.id, "seconds": round(time.monotonic() - started, 2),
                         "score": graded["exercises"][0]["score"], "possible": graded["exercises"][0]["possible"]})
    return {"path": "a fresh Jupyter kernel per exercise (tfgrade nbgrader is not available)",
            "notebooks": len(rows), "wall_seconds": round(sum(r["seconds"] for r in rows), 2),
            "exercises": rows, **memory.to_dict()}


# ------------------------------------------------------------------------------------------ (d) floor


def measure_floor(workdir: Path, exercises: list[Any], reuse: bool = True, batch: Path | None = None) -> dict[str, Any]:
    """The same grading in one warm process (``benchmarks/inprocess.py``), its Keras compute clocked; of every
    submission folder of ``batch`` when given (``--batch``), else of the reference solutions."""
    out = workdir / ("floor.json" if batch is None else "floor-batch.json")
    command = [sys.executable, str(BENCH_DIR / "inprocess.py"), "--out", str(out), *([] if reuse else ["--no-reuse"]),
               *([] if batch is None else ["--batch", str(batch)]),
               *[flag for exercise in exercises for flag in ("--exercise", exercise.id)]]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchmarkError(f"the in-process run exited {done.returncode}: {done.stderr[-2000:]}")
    return json.loads(out.read_text())


# ------------------------------------------------------------------------------------------ (e) check


def check_latency(workdir: Path, runs: int, exercises: list[Any]) -> dict[str, Any]:
    """``tfgrade check`` from a shell in a student's copy of assignments/ with the chosen exercises
    solved: the first run starts the warm grader, the next ``runs`` reuse it, one run goes without it
    (``--no-daemon``), and each chosen exercise is checked once through the warm grader."""
    from autograder import exercises as registry

    exercise = registry.get(CHECK_EXERCISE)
    assignments = workdir / "student" / "assignments"
    shutil.copytree(ROOT / "assignments", assignments, ignore=shutil.ignore_patterns("__pycache__"))
    for solved in {e.id: e for e in (exercise, *exercises)}.values():
        shutil.copy(ROOT / "solutions" / solved.filename, assignments / solved.filename)
    # A warm grader of the benchmark's own: a TFGRADE_* setting of its own gives it its own address.
    env = {**os.environ, "TFGRADE_BENCHMARK_RUN": f"{os.getpid()}-{time.time()}"}

    def check(number: int, *flags: str) -> tuple[float, float]:
        wall, done, _memory = timed_command([str(BIN / "tfgrade"), "check", str(number), "--json", *flags],
                                            cwd=assignments.parent, env=env)
        if done.returncode != 0:
            raise BenchmarkError(f"`tfgrade check {number}` exited {done.returncode}: {done.stderr[-2000:]}")
        return wall, json.loads(done.stdout)["exercises"][0]["seconds"]

    try:
        cold, _ = check(exercise.number)
        warm = [check(exercise.number) for _ in range(runs)]
        without, _ = check(exercise.number, "--no-daemon")
        each = {e.id: round(check(e.number)[0], 2) for e in exercises}
    finally:
        subprocess.run([str(BIN / "tfgrade"), "daemon", "stop"], env=env, capture_output=True)
    return {"exercise": exercise.id, "cold_seconds": round(cold, 2), "runs": [round(w, 2) for w, _ in warm],
            "median_seconds": round(statistics.median(w for w, _ in warm), 2),
            "grading_seconds": round(statistics.median(g for _, g in warm), 2),
            "no_daemon_seconds": round(without, 2), "warm_by_exercise": each, **startup_costs()}


def startup_costs() -> dict[str, float]:
    """What a cold command pays before grading: the interpreter and the kit, then the forkserver."""
    kit = "import autograder.cli, autograder.commands.check"
    forkserver = (f"import sys, time; sys.path.insert(0, {str(BENCH_DIR)!r}); import grading; "
                  "t = time.monotonic(); grading.start_forkserver(); print(time.monotonic() - t)")
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", kit], check=True, capture_output=True)
    kit_seconds = time.monotonic() - started
    done = subprocess.run([sys.executable, "-c", forkserver], check=True, capture_output=True, text=True)
    return {"interpreter_and_kit_seconds": round(kit_seconds, 2),
            "forkserver_seconds": round(float(done.stdout.strip().splitlines()[-1]), 2)}


# ------------------------------------------------------------------------------------------ reporting


def print_report(figures: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 120)  # rich assumes 80 columns in a pipe
    machine = figures["machine"]
    console.print(f"[bold]Machine[/]: {machine['cpu']}, {machine['cores']} cores, {machine['ram_gib']} GiB, "
                  f"{machine['os']}, Python {machine['python']}, TensorFlow {machine['tensorflow']}, "
                  f"Keras {machine['keras']}, nbgrader {machine['nbgrader']}")
    console.print(f"load average before: {machine['load_average']}, after: {figures['load_average_after']} "
                  f"(above 0.5 the figures are inflated by other work)")
    speed = machine.get("speed")
    if speed:
        console.print(f"speed today: `import tensorflow` {speed['tensorflow_import_seconds']:.1f} s, "
                      f"{speed['slower_than_reference_machine']:.1f}x the {REFERENCE_TENSORFLOW_IMPORT_SECONDS} s of "
                      f"the machine where the targets were set; a 10**7-step Python loop "
                      f"{speed['python_loop_seconds']:.2f} s")
    for printer in (_print_a, _print_b, _print_c, _print_d, _print_e, _print_realistic, _print_breakdown):
        table = printer(figures, Table)
        if table is not None:
            console.print(table)


def _table(Table: Any, title: str, *columns: str) -> Any:
    table = Table(title=title, title_justify="left", header_style="bold")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index == 0 else "right")
    return table


def _print_a(figures: dict[str, Any], Table: Any) -> Any:
    one = figures["a"]
    reuse = "" if figures["reuse"] else ", nothing reused from the reference"
    table = _table(Table, f"(a) one submission, every check{reuse} (reference cached: {figures['reference_seconds']:.1f} s "
                          "to warm it, not counted; exercises are graded side by side, so their walls overlap)",
                   "exercise", "cases", "wall s", "run children: s (how many)",
                   "measuring children: s (how many)", "score")
    for row in one["exercises"]:
        table.add_row(row["exercise"], str(row["cases"]), f"{row['seconds']:.1f}",
                      f"{row['run_children_seconds']:.1f} ({row['run_children']})",
                      f"{row['measure_seconds']:.1f} ({row['measured']})", f"{row['score']:g}/{row['possible']:g}")
    table.add_row("grading", "", f"{one['wall_seconds']:.1f}", "", "", f"{one['score']:g}/{one['possible']:g}",
                  style="bold")
    table.add_row("+ start-up (forkserver imports TensorFlow)", "", f"{figures['forkserver_seconds']:.1f}", "", "", "")
    table.add_row("total", "", f"{one['wall_seconds'] + figures['forkserver_seconds']:.1f}", "", "", "", style="bold")
    table.caption = (f"peak resident memory of the process tree: {one['peak_rss_sum_mib']} MiB summed over its processes "
                     f"(shared TensorFlow pages counted in each), {one['peak_rss_largest_mib']} MiB in the largest")
    if "confined_child_overhead_seconds" in figures:
        plain, confined = figures["child_overhead_seconds"], figures["confined_child_overhead_seconds"]
        run_children = sum(row["run_children"] for row in one["exercises"])
        share = _share(run_children * (confined - plain), one["wall_seconds"])
        table.caption += (f"; a child that does nothing: {plain * 1000:.0f} ms, confined {confined * 1000:.0f} ms "
                          f"(confining the {run_children} run children: {share} of the grading wall)")
    return table


def _print_b(figures: dict[str, Any], Table: Any) -> Any:
    table = _table(Table, "(b) batch throughput: `tfgrade grade BATCH --workers N` from a shell", "workers",
                   "submissions", "wall s", "s / submission", "submissions / min", "full marks", "peak RSS MiB (sum / largest)")
    for row in figures["b"]:
        table.add_row(str(row["workers"]), str(row["submissions"]), f"{row['wall_seconds']:.1f}",
                      f"{row['seconds_per_submission']:.1f}", f"{row['per_minute']:.2f}", row["full_marks"],
                      f"{row['peak_rss_sum_mib']} / {row['peak_rss_largest_mib']}")
    return table


def _print_c(figures: dict[str, Any], Table: Any) -> Any:
    nb = figures.get("c")
    if nb is None:
        return None
    table = _table(Table, f"(c) nbgrader: {nb['path']}", "what", "seconds", "ratio nbgrader / tfgrade")
    table.add_row("nbgrader, one submission", f"{nb['wall_seconds']:.1f}", "")
    table.add_row("tfgrade (a), one submission with start-up", f"{nb['tfgrade_one_seconds']:.1f}",
                  f"{nb['ratio_one']:.2f}")
    table.add_row("tfgrade (b), per submission with 2 workers", f"{nb['tfgrade_batch_seconds']:.1f}",
                  f"{nb['ratio_batch']:.2f}")
    for row in nb.get("exercises", []):
        table.add_row(f"  kernel {row['exercise']} ({row['score']:g}/{row['possible']:g})", f"{row['seconds']:.1f}", "")
    table.caption = (f"peak RSS: {nb['peak_rss_sum_mib']} MiB summed, {nb['peak_rss_largest_mib']} MiB largest; "
                     "target: batch ratio at least 5")
    return table


def _print_d(figures: dict[str, Any], Table: Any) -> Any:
    floor = figures["d"]
    table = _table(Table, "(d) the floor: Keras fit/evaluate/predict when the same grading runs in one warm process",
                   "exercise", "in-process s", "of it fit/evaluate/predict s", "(a) wall s")
    walls = {row["exercise"]: row["seconds"] for row in figures["a"]["exercises"]}
    for row in floor["exercises"]:
        table.add_row(row["exercise"], f"{row['seconds']:.1f}", f"{row['compute']:.1f}",
                      f"{walls.get(row['exercise'], 0):.1f}")
    table.add_row("total", f"{floor['seconds']:.1f}", f"{floor['compute']:.1f}", f"{figures['a']['wall_seconds']:.1f}",
                  style="bold")
    table.caption = (f"(a) grading = {_multiple(figures['a']['wall_seconds'], floor['compute'])} the floor, "
                     f"{_multiple(figures['a']['wall_seconds'], floor['seconds'])} the in-process run "
                     f"(target 1.3x the floor); TensorFlow import in that process: {floor['import_seconds']:.1f} s, "
                     "not counted")
    return table


def _multiple(total: float, part: float) -> str:
    return f"{total / part:.2f}x" if part > 0 else "n/a (no training)"


def _print_e(figures: dict[str, Any], Table: Any) -> Any:
    check = figures["e"]
    table = _table(Table, f"(e) `tfgrade check {check['exercise']}` from a shell (target under 5 s)", "what", "seconds")
    table.add_row("median wall, warm grader running", f"{check['median_seconds']:.2f}", style="bold")
    table.add_row("  interpreter + kit imports", f"{check['interpreter_and_kit_seconds']:.2f}")
    table.add_row("  grading the public cases in the warm grader", f"{check['grading_seconds']:.2f}")
    table.add_row("first check: starts the warm grader (imports TensorFlow)", f"{check['cold_seconds']:.2f}")
    table.add_row("  of which the TensorFlow import", f"{check['forkserver_seconds']:.2f}")
    table.add_row("a check with --no-daemon", f"{check['no_daemon_seconds']:.2f}")
    for exercise, seconds in check["warm_by_exercise"].items():
        table.add_row(f"`tfgrade check {exercise}`, warm grader running", f"{seconds:.2f}")
    table.caption = "warm runs: " + ", ".join(f"{w:.1f}" for w in check["runs"])
    return table


def _print_realistic(figures: dict[str, Any], Table: Any) -> Any:
    r = figures.get("realistic")
    if not r:
        return None
    kinds = ", ".join(f"{n} {kind}" for kind, n in r["kinds"].items())
    table = _table(Table, f"(r) a realistic batch of {r['size']} (seed {r['seed']}, mix {','.join(map(str, r['mix']))}: "
                          f"{kinds}; {r['changed_files']} of {r['files']} exercise files unlike the reference's)",
                   "figure", "seconds", "s / submission", "ratio", "target")
    for row in r["batch"]:
        table.add_row(f"`tfgrade grade --workers {row['workers']}` (full marks {row['full_marks']}, "
                      f"expected {r['expected_full_marks']})", f"{row['wall_seconds']:.1f}",
                      f"{row['seconds_per_submission']:.1f}", _x(r["floor_ratio"].get(str(row["workers"]))),
                      "≤ 1.2x the floor")
    floor = r["floor"]
    table.add_row("floor: Keras fit/evaluate/predict of the same work in one warm process", f"{floor['compute']:.1f}",
                  f"{floor['compute'] / max(1, r['size']):.1f}", "", "")
    table.add_row("  that whole in-process run (TensorFlow import not counted)", f"{floor['seconds']:.1f}", "", "", "")
    cluster = r["cluster"]
    if cluster.get("wall_seconds") is not None:
        table.add_row(f"`tfgrade grade --cluster local:2` (full marks {cluster['full_marks']})",
                      f"{cluster['wall_seconds']:.1f}", f"{cluster['seconds_per_submission']:.1f}",
                      _x(cluster["ratio_to_local"]), "≤ 1.1x --workers 2")
    else:
        table.add_row("`tfgrade grade --cluster local:2`", cluster["note"], "", "", "≤ 1.1x --workers 2")
    nb = r["nbgrader"]
    if nb.get("available"):
        table.add_row(f"`nbgrader autograde` of the same {nb['submissions']} submissions ({nb['notebooks']} notebooks)",
                      f"{nb['wall_seconds']:.1f}", f"{nb['seconds_per_submission']:.1f}",
                      _x(nb["ratio_to_tfgrade"]), "≥ 10x --workers 2")
    else:
        table.add_row("`nbgrader autograde` of the same submissions", nb["note"][:200], "", "", "≥ 10x --workers 2")
    one = r["one_core"]
    if one.get("available"):
        score = f", {one['score']:g}/{one['possible']:g}" if "score" in one else ""
        table.add_row(f"one full submission on one core: `taskset -c 0` ({one['submission']}, {one['kind']}, "
                      f"{one['changed']} files changed{score})", f"{one['wall_seconds']:.1f}", "", "", "≤ 60 s")
    else:
        table.add_row("one full submission on one core", one["note"], "", "", "≤ 60 s")
    inc = r["incremental"]
    if inc.get("available"):
        table.add_row(f"regrade of the batch, nothing changed ({inc['unchanged_regrade_said']})",
                      f"{inc['unchanged_regrade_seconds']:.1f}", "", "", "")
        table.add_row(f"regrade after one file changed ({inc['submission']}: {inc['change']}; {inc['regrade_said']})",
                      f"{inc['regrade_seconds']:.1f}", "", f"{inc['ratio']:.0%}" if inc["ratio"] is not None else "",
                      "≤ 10 % of a full grade")
        table.add_row(f"  full grade of {inc['submission']} alone", f"{inc['full_seconds']:.1f}", "", "", "")
    else:
        table.add_row("incremental regrade", inc["note"], "", "", "")
    table.caption = ("ratios: tfgrade's wall over the floor, the cluster's over --workers 2, nbgrader's over "
                     "--workers 2, the regrade's over the full grade; every command pays its own start-up. "
                     "Load average (1, 5, 15 min) as each step started: "
                     + "; ".join(f"{name}: {load}" for name, load in r.get("load_averages", {}).items()))
    return table


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


def _x(ratio: float | None) -> str:
    return f"{ratio:.2f}x" if ratio is not None else "n/a"


def breakdown(figures: dict[str, Any]) -> dict[str, float]:
    """Where (a)'s wall time goes, from the sandboxed run, the in-process run and the no-op child probe."""
    one, floor, overhead = figures["a"], figures["d"], figures["child_overhead_seconds"]
    confining = max(0.0, figures.get("confined_child_overhead_seconds", overhead) - overhead)  # run children only
    run_children = sum(row["run_children"] for row in one["exercises"])
    measure_children = sum(row["measured"] for row in one["exercises"])
    run_seconds = sum(row["run_children_seconds"] for row in one["exercises"])
    measure_seconds = sum(row["measure_seconds"] for row in one["exercises"])
    return {
        "forkserver start (TensorFlow import), once per command": figures["forkserver_seconds"],
        f"starting and ending {run_children + measure_children} children (~{overhead * 1000:.0f} ms each)":
            (run_children + measure_children) * overhead,
        f"confining {run_children} run children (~{confining * 1000:.0f} ms each)": run_children * confining,
        "run children, beyond the same work in one warm process":
            run_seconds - run_children * (overhead + confining) - sum(row["run"] for row in floor["exercises"]),
        "measure children, beyond the same work in one warm process":
            measure_seconds - measure_children * overhead - sum(row["measure"] for row in floor["exercises"]),
        "building, saving, loading, summarizing models; data (in-process)": floor["seconds"] - floor["compute"],
        "Keras fit / evaluate / predict: the floor (in-process)": floor["compute"],
        # The rows above add up children's seconds; cases run side by side (one child per core), so
        # those seconds overlap and the wall is shorter. What remains is that overlap (negative) plus
        # the grading process' own deciding and bookkeeping (a tenth of a second when run one by one).
        "cases side by side: children's seconds that overlapped, net of the grading process' own work":
            one["wall_seconds"] - run_seconds - measure_seconds,
    }


def _print_breakdown(figures: dict[str, Any], Table: Any) -> Any:
    table = _table(Table, "Where (a)'s time goes, in seconds of each process", "part", "seconds", "share")
    parts = figures["breakdown"]
    total = sum(parts.values())
    for name, seconds in parts.items():
        table.add_row(name, f"{seconds:.1f}", f"{seconds / total:.0%}" if total else "")
    table.add_row("total (start-up + grading)", f"{total:.1f}", "", style="bold")
    return table


# ----------------------------------------------------------------------------------------------- main


def run(args: argparse.Namespace, say: Callable[[str], None]) -> dict[str, Any]:
    from autograder import exercises as registry
    from autograder.sandbox import quiet

    quiet.set_quiet_environment()
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"  # tfgrade, nbgrader, jupyter kernels
    exercises = registry.select(args.exercises or None)
    figures: dict[str, Any] = {"machine": machine_info(), "exercises": [e.id for e in exercises],
                               "quick": args.quick, "reuse": not args.no_reuse}
    say("probing this machine's speed")
    figures["machine"]["speed"] = speed_probe()
    with tempfile.TemporaryDirectory(prefix="tfgrade-bench-") as tmp:
        workdir = Path(tmp)
        say("starting the forkserver")
        figures["forkserver_seconds"] = round(start_forkserver(), 2)
        say("warming the reference cache")
        figures["reference_seconds"] = round(warm_reference(exercises), 2)
        figures["child_overhead_seconds"] = round(child_overhead(), 4)
        figures["confined_child_overhead_seconds"] = round(child_overhead(confined=True), 4)
        say(f"(a) grading the solutions of {len(exercises)} exercises")
        figures["a"] = grade_one_submission(exercises, reuse=not args.no_reuse)
        say("(d) the same grading in one warm process")
        figures["d"] = measure_floor(workdir, exercises, reuse=not args.no_reuse)
        flags = exercise_flags(exercises, len(registry.all_exercises()))
        batch = make_batch(workdir / "batch", args.batch_size, exercises)
        figures["b"] = []
        for workers in (1, 2):
            say(f"(b) a batch of {args.batch_size} with {workers} worker(s)")
            figures["b"].append(grade_batch(batch, workdir / f"grades-{workers}", workers, flags, args.batch_size))
        if not args.skip_nbgrader:
            say("(c) nbgrader")
            figures["c"] = compare_nbgrader(workdir, exercises, figures)
        figures["realistic"] = (realistic_batch(workdir, args, exercises, flags, say) if args.realistic
                                else None)
        say("(e) tfgrade check latency")
        figures["e"] = check_latency(workdir, args.check_runs, exercises)
    figures["breakdown"] = {k: round(v, 2) for k, v in breakdown(figures).items()}
    figures["load_average_after"] = _load_average()
    return figures


def compare_nbgrader(workdir: Path, exercises: list[Any], figures: dict[str, Any]) -> dict[str, Any]:
    nb = None
    if nbgrader_command_exists():
        try:
            nb = grade_with_nbgrader(workdir, exercises)
        except BenchmarkError as exc:
            print(f"nbgrader autograde failed, falling back to kernels: {exc}", file=sys.stderr)
    nb = nb or grade_in_kernels(workdir, exercises)
    one = figures["a"]["wall_seconds"] + figures["forkserver_seconds"]
    batch = next(row for row in figures["b"] if row["workers"] == 2)["seconds_per_submission"]
    return {**nb, "tfgrade_one_seconds": round(one, 2), "tfgrade_batch_seconds": batch,
            "ratio_one": round(nb["wall_seconds"] / one, 2), "ratio_batch": round(nb["wall_seconds"] / batch, 2)}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()

    def say(step: str) -> None:
        print(f"[{time.monotonic() - started:6.0f} s] {step}", file=sys.stderr, flush=True)

    try:
        figures = run(args, say)
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    figures["benchmark_seconds"] = round(time.monotonic() - started, 1)
    print_report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
