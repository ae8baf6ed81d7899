from autograder.spec import (
    Case,
    EquivalentByBehaviour,
    Exercise,
    Function,
    LayerConfig,
    LayerTypes,
    MetricAtLeast,
    Misconception,
    OutputShapes,
    ParamCounts,
    Recipe,
    Trained,
)

# The kit's known wrong submissions: tests/exercises grade each, and grading names the one a student's
# failed checks equal. They quote the reference, so a student's bundle holds none.
MISCONCEPTIONS: tuple[Misconception, ...] = ()
### BEGIN HIDDEN TESTS
MISCONCEPTIONS = (
    Misconception("output without sigmoid",
        edits=(('layers.Dense(1, activation="sigmoid")', "layers.Dense(1)"),),
        # A linear output still ranks tumours well, so only the configuration check catches it.
        fails=("default.layer_config", "deeper.layer_config", "single.layer_config"),
        says="layer 3 Dense(1): activation expected 'sigmoid', got 'linear'"),
    Misconception("hard-coded to the example's layers",
        edits=(("for units, activation in zip(hidden_units, activations):",
          "for units, activation in zip((64, 32), ('relu', 'tanh')):"),),
        fails=("deeper.layer_types", "deeper.output_shapes", "deeper.param_counts", "deeper.layer_config",
               "single.layer_types", "single.output_shapes", "single.param_counts", "single.layer_config"),
        says="expected 4 layers, got 3"),
    Misconception("one activation for every layer",
        edits=(("activation=activation", 'activation="relu"'),),
        fails=("default.layer_config", "deeper.layer_config", "single.layer_config"),
        says="layer 2 Dense(32): activation expected 'tanh', got 'relu'"),
    Misconception("two-unit softmax output",
        edits=(('layers.Dense(1, activation="sigmoid")', 'layers.Dense(2, activation="softmax")'),),
        fails=("default.output_shapes", "default.param_counts", "default.layer_config", "default.metric",
               "deeper.output_shapes", "deeper.param_counts", "deeper.layer_config",
               "single.output_shapes", "single.param_counts", "single.layer_config"),
        says="layer 3 Dense(1): expected output (None, 1), got (None, 2)"),
    Misconception("relu in every nested hidden block",
        edits=(("model.add(layers.Dense(units, activation=activation))",
          'model.add(keras.Sequential([layers.Dense(units), layers.Activation("relu")]))'),),
        # Structured otherwise than the reference, so judged by what it computes: with the reference's
        # weights, the second block's Activation is where its outputs part from the reference's.
        fails=("default.layer_types", "default.output_shapes", "default.layer_config",
               "deeper.layer_types", "deeper.output_shapes", "deeper.layer_config",
               "single.layer_types", "single.output_shapes", "single.layer_config"),
        says="layer 4 Activation('relu') is where they part (up to layer 3 Dense(32), the outputs equal those "
             "of the reference's layer 2 Dense(32) before its activation)"),
)
### END HIDDEN TESTS


EXERCISE = Exercise(
    number=1,
    slug="sequential",
    title="Stack layers into a binary classifier",
    concept="Sequential",
    task="""
        A `keras.Sequential` model is a plain stack: each layer feeds the next. Write
        `build_model(input_dim, hidden_units, activations)` that returns a Sequential model with:

        1. an input of `input_dim` features (`keras.Input(shape=(input_dim,))`);
        2. one hidden `Dense` layer per entry of `hidden_units`, with the matching entry of
           `activations` (so `hidden_units=(64, 32)` and `activations=("relu", "tanh")` give
           Dense(64, relu) then Dense(32, tanh));
        3. a `Dense(1, activation="sigmoid")` output: one probability for a yes/no question.

        Do not compile or train the model: the grader trains a fresh copy itself on a tumour
        classification task (scikit-learn's breast cancer data) and compares it with the reference.
        Your function is also called with other depths, widths and activations than the example.

        Equivalent spellings earn the same marks: an activation given as its own layer
        (`Dense(n)` then `Activation("relu")`) or blocks nested in a `Sequential` are compared by
        what the model computes, with the reference's weights put into yours.
    """,
    keras3_notes="""
        Start the model with `keras.Input(shape=...)` rather than `input_shape=` on the first layer:
        Keras 3 still accepts `input_shape=` but warns about it. `tensorflow.keras` and `keras` are the
        same Keras 3 package.
    """,
    functions=(Function("build_model", returns="model"),),
    cases=(
        Case("default", dict(input_dim=30, hidden_units=(64, 32), activations=("relu", "tanh"))),
        ### BEGIN HIDDEN TESTS
        Case("deeper", dict(input_dim=13, hidden_units=(16, 16, 8), activations=("tanh", "relu", "elu")),
             hidden=True),
        Case("single", dict(input_dim=4, hidden_units=(10,), activations=("sigmoid",)), hidden=True),
        ### END HIDDEN TESTS
    ),
    checks=(
        # Dense(u) + Activation(a) computes Dense(u, activation=a): the task allows either, and blocks nested in
        # Sequentials, so a structure that differs from the reference's is judged by what it computes.
        EquivalentByBehaviour(LayerTypes(points=2)),
        EquivalentByBehaviour(OutputShapes(points=2)),
        ParamCounts(points=2),
        EquivalentByBehaviour(LayerConfig(points=2)),
        MetricAtLeast(Trained(Recipe("breast_cancer", epochs=15, loss="binary_crossentropy")),
                      margin=0.04, points=2, cases=("default",)),
    ),
    misconceptions=MISCONCEPTIONS,
)
