"""The declarative exercise format: what an exercise module imports.

An exercise states its functions, cases and checks as data, and each check names the observation
the measuring child takes (``autograder.measure``); contradictions are refused when the exercise is
built. ``stubs`` turns a solution into the student's stub.
"""

from autograder.measure.observations import (
    BestWeights,
    Evaluated,
    History,
    Observation,
    Recipe,
    ReturnedValue,
    Summary,
    Trained,
)
from autograder.measure.probes.augmentation import AugmentedBatch, AugmenterProbe
from autograder.measure.probes.behaviour import ModelBehaviour
from autograder.measure.probes.checkpoint import CheckpointBest, CheckpointEvaluated
from autograder.measure.probes.compile_settings import CompileSettings
from autograder.measure.probes.pipeline import PipelineEpochs
from autograder.spec.checks import (
    BatchMatches,
    Check,
    LayerConfig,
    LayerTypes,
    MetricAtLeast,
    OutputShapes,
    ParamCounts,
    PropertyMatches,
    RestoresBest,
    StoppingPoint,
    ValueEquals,
    Verdict,
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
    Provided,
    Visibilities,
    data_arrays,
)

__all__ = [
    # exercises
    "ALL", "HIDDEN", "PUBLIC", "PUBLIC_ONLY", "Case", "DataArray", "Exercise", "Function", "GivenModel", "Provided",
    "Visibilities", "data_arrays",
    # checks
    "BatchMatches", "Check", "LayerConfig", "LayerTypes", "MetricAtLeast", "OutputShapes", "ParamCounts",
    "PropertyMatches", "RestoresBest", "StoppingPoint", "ValueEquals", "Verdict",
    # observations
    "AugmentedBatch", "AugmenterProbe", "BestWeights", "CheckpointBest", "CheckpointEvaluated", "CompileSettings",
    "Evaluated", "History", "ModelBehaviour", "Observation", "PipelineEpochs", "Recipe", "ReturnedValue", "Summary",
    "Trained",
]
