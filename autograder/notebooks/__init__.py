"""nbgrader: notebooks built from the specs (``build``), the check run inside a student's kernel
(``kernel``), nbgrader feedback without hidden tests (``feedback``) and gradebook reconciliation
(``reconcile``)."""
