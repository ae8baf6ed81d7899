"""Probes of the settings a model was compiled with.

The optimizer, learning rate and loss a returned model was compiled with, read as data from the saved archive's compile config (nothing is rebuilt or imported from it). Each is {"value", "note"} for ``checks.PropertyMatches``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from autograder.errors import BadArtifact
from autograder.measure import loading
from autograder.measure.observations import Context, Observation, measured_property
from autograder.measure.summary import snake_case
from autograder.sandbox.artifacts import MODEL

COMPILE_SETTINGS = ("optimizer", "learning_rate", "loss")
LABELS_EXPECTED = {"categorical_crossentropy": "one-hot labels",
                   "sparse_categorical_crossentropy": "integer class labels",
                   "binary_crossentropy": "0/1 labels and one sigmoid output"}


@dataclass(frozen=True)
class CompileSettings(Observation):
    """How the returned model was compiled: optimizer class, learning rate and loss name."""

    kind: ClassVar[str] = "compile_settings"

    def measure(self, context: Context) -> Any:
        if not (context.run_dir / MODEL).is_file():
            raise BadArtifact("no model was handed back")
        config = loading.load_compile_config(context.run_dir)
        if not config:
            note = "the model was not compiled: call model.compile(...) before returning it"
            return {name: measured_property(None, note) for name in COMPILE_SETTINGS}
        optimizer = _optimizer_name(config.get("optimizer"))
        rate = _learning_rate(config.get("optimizer"))
        loss = _loss_name(config.get("loss"))
        rate_note = f"learning rate {rate:g}" if isinstance(rate, float) else f"learning rate: {rate}"
        expects = f", which expects {LABELS_EXPECTED[loss]}" if loss in LABELS_EXPECTED else ""
        return {"optimizer": measured_property(optimizer, f"optimizer {optimizer}"),
                "learning_rate": measured_property(rate, f"{optimizer} with {rate_note}"),
                "loss": measured_property(loss, f"loss {loss}{expects}")}


def _optimizer_name(config: Any) -> str:
    if isinstance(config, dict):
        return str(config.get("class_name"))
    if isinstance(config, str):
        import keras

        try:
            return type(keras.optimizers.get(config)).__name__
        except ValueError:
            return config
    return repr(config)


def _learning_rate(config: Any) -> Any:
    """A float (as saved, float32-rounded to 7 digits), or the class of a schedule."""
    options = config.get("config") if isinstance(config, dict) else None
    rate = options.get("learning_rate") if isinstance(options, dict) else None
    if isinstance(rate, (int, float)) and not isinstance(rate, bool):
        return float(f"{rate:.7g}")
    if isinstance(rate, dict):
        return f"a schedule ({rate.get('class_name')})"
    return "unknown" if isinstance(config, dict) else "the optimizer's default"


def _loss_name(config: Any) -> Any:
    """``categorical_crossentropy`` whether given as a string, a function or a loss object;
    ``(from_logits=True)`` appended when the loss expects logits."""
    if isinstance(config, dict) and config.get("class_name") == "function":
        config = config.get("config")
    if isinstance(config, str):
        import keras

        try:
            found = keras.losses.get(config)
        except ValueError:
            return config
        return getattr(found, "__name__", None) or snake_case(type(found).__name__)
    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        options = config.get("config") if isinstance(config.get("config"), dict) else {}
        return snake_case(config["class_name"]) + ("(from_logits=True)" if options.get("from_logits") else "")
    return repr(config)
