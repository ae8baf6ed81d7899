"""What the trusted measuring child measures: the generic core (``observations``: summaries, training
by recipe, evaluation), safe loading of handed-back files (``loading``), model summaries (``summary``)
and one module per probe family under ``probes``. Imports TensorFlow only inside measurements."""
