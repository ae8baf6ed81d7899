"""nbgrader: notebooks built from the specs (``build``), the check run inside a student's kernel
(``kernel``), nbgrader's autograde without false checksum warnings (``autograde``), nbgrader
feedback without hidden tests (``feedback``) and gradebook reconciliation (``reconcile``)."""
