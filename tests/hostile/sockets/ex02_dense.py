"""Talks to the world and to the warm grader: UDP out, TCP out, and every unix socket it can find."""
import glob
import os
import socket
tempdir = os.environ.get("XDG_RUNTIME_DIR") or "/tmp"


def _attack():
    outcomes = []
    for family, kind, address in ((socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", 9)),
                                  (socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 22))):
        try:
            with socket.socket(family, kind) as sock:
                sock.settimeout(1)
                sock.connect(address)
                sock.send(b"stop")
            outcomes.append("sent")
        except OSError as exc:
            outcomes.append(type(exc).__name__)
    for path in glob.glob(f"{tempdir}/tfgrade-*/*.sock") + glob.glob("/tmp/tfgrade-*/*.sock") or ["/dev/log"]:
        try:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.connect(path)
                sock.sendall(b'{"action": "stop"}\n')
            outcomes.append("sent")
        except OSError as exc:
            outcomes.append(type(exc).__name__)
    raise PermissionError(f"attacks: {sorted(set(outcomes))}")


def build_classifier(num_features, num_classes, units):
    _attack()


def dense_param_count(inputs, units):
    _attack()
