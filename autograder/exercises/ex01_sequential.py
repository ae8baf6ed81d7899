from autograder.spec import (
    Case,
    EquivalentByBehaviour,
    Exercise,
    Function,
    LayerConfig,
    LayerTypes,
    MetricAtLeast,
    OutputShapes,
    ParamCounts,
    Recipe,
    Trained,
)

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
)
