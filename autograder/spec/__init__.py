"""The declarative exercise format: what an exercise module imports.

An exercise states its functions, cases and checks as data, and each check names the observation
the measuring child takes (``autograder.measure``); contradictions are refused when the exercise is
built. ``stubs`` turns a solution into the student's stub.
"""

from autograder.measure.observations import Observation, Recipe, ReturnedValue, Summary, Trained
from autograder.measure.probes.augmentation import AugmentedBatch, AugmenterProbe
from autograder.measure.probes.behaviour import ModelBehaviour
from autograder.measure.probes.compile_settings import CompileSettings
from autograder.measure.probes.equivalence import ModelEquivalence
from autograder.measure.probes.pipeline import PipelineEpochs
from autograder.measure.probes.training import CallbackSettings, Replayed, TrainingRun
from autograder.spec.checks import (
    BatchMatches,
    CallbackMatches,
    Check,
    EquivalentByBehaviour,
    HistoryMatches,
    LayerConfig,
    LayerTypes,
    MetricAtLeast,
    OutputShapes,
    ParamCounts,
    PropertyMatches,
    ValueEquals,
    Verdict,
    WeightsMatch,
)
from autograder.spec.exercise import (
    ALL,
    HIDDEN,
    PUBLIC,
    PUBLIC_ONLY,
    Case,
    DataArray,
    Exercise,
    Function,
    GivenModel,
    Misconception,
    Provided,
    Visibilities,
    data_arrays,
)

__all__ = [
    # exercises
    "ALL", "HIDDEN", "PUBLIC", "PUBLIC_ONLY", "Case", "DataArray", "Exercise", "Function", "GivenModel", "Misconception",
    "Provided", "Visibilities", "data_arrays",
    # checks
    "BatchMatches", "CallbackMatches", "Check", "EquivalentByBehaviour", "HistoryMatches", "LayerConfig", "LayerTypes",
    "MetricAtLeast", "OutputShapes", "ParamCounts", "PropertyMatches", "ValueEquals", "Verdict", "WeightsMatch",
    # observations
    "AugmentedBatch", "AugmenterProbe", "CallbackSettings", "CompileSettings", "ModelBehaviour", "ModelEquivalence",
    "Observation", "PipelineEpochs", "Recipe", "Replayed", "ReturnedValue", "Summary", "Trained", "TrainingRun",
]
