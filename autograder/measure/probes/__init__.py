"""One module per family of behaviour probes; each observation returns ``{"value", "note"}`` properties."""
