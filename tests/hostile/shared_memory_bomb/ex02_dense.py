"""Fills memory that RLIMIT_DATA does not count: a shared anonymous mapping (Python's ``mmap.mmap(-1, n)``)
of 5 GiB, beyond the child's 4 GiB limit, every page touched. Were it allowed, a few such students at once
would run the grading machine out of memory."""
import mmap

SIZE = 5 * 1024**3


def _fill():
    shared = mmap.mmap(-1, SIZE)  # MAP_SHARED | MAP_ANONYMOUS
    for offset in range(0, SIZE, mmap.PAGESIZE):
        shared[offset] = 1
    raise RuntimeError(f"attack: {SIZE} bytes of shared memory filled")


def build_classifier(num_features, num_classes, units):
    _fill()


def dense_param_count(inputs, units):
    _fill()
