"""One module per exercise, named ``exNN_<slug>.py``, each defining ``EXERCISE``."""
