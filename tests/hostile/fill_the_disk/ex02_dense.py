"""Fills the disk through its own folder, the one place it may write: files as large as the kernel lets it
write (its file size limit bounds each, not how many), and tens of thousands of empty files."""
import os

CHUNK = b"x" * (16 * 1024**2)


def build_classifier(num_features, num_classes, units):
    for index in range(64):  # 64 files, up to 256 MiB each
        try:
            with open(f"fill-{index}.bin", "wb") as file:
                for _ in range(32):
                    file.write(CHUNK)
        except OSError:
            continue  # the file size limit: on to the next file
    raise RuntimeError("attack: 64 large files written")


def dense_param_count(inputs, units):
    os.makedirs("many", exist_ok=True)
    for index in range(100_000):
        open(f"many/{index}", "w").close()
    raise RuntimeError("attack: 100000 files made")
