"""Process plumbing with no exercise knowledge: children forked from a TensorFlow-preloaded
forkserver (``process``), their confinement (``confine``), limits, quiet output, determinism
(``determinism``) and the files they hand back (``artifacts``).

The package's face is the process API below; its other modules are imported by name.
"""

from autograder.sandbox.process import (
           ChildOutcome,
           GiB,
           Limits,
           MiB,
           allow_children,
           cancel_children,
           case_limits,
           cores,
           read_output,
           redirect_output,
           run_isolated,
           set_slots,
           slots,
           warm_up,
)

__all__ = ["GiB", "MiB", "ChildOutcome", "Limits", "allow_children", "cancel_children", "case_limits", "cores",
           "read_output", "redirect_output", "run_isolated", "set_slots", "slots", "warm_up"]
