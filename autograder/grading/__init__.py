"""The deciding side, which never imports TensorFlow: running and measuring cases (``runs``), the
reference's observations (``reference``), deciding points (``grade``), submissions and batches,
course validation and threshold calibration."""
