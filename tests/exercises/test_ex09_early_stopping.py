from contract import Wrong, contract_tests

EXERCISE = "ex09"
CALLBACKS = ("callback", "patient_callback", "impatient_callback", "other_data_callback")
TRAININGS = ("default", "patient", "impatient", "capped")
FIT = '''    return model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs, batch_size=32,
                     callbacks=[make_early_stopping(patience)], verbose=0)'''
# A History the student's process makes up, with a plausible stopping point, for a model it never trained.
FORGED = '''    history = keras.callbacks.History()
    history.set_model(model)
    history.history = {"loss": [0.6 - 0.02 * e for e in range(9)], "accuracy": [0.7 + 0.01 * e for e in range(9)],
                       "val_loss": [0.6 - 0.01 * min(e, 5) for e in range(9)], "val_accuracy": [0.8] * 9}
    return history'''
# Trains on the public dataset's test split, regenerated in the student's process: the returned model
# scores far above the reference on held-out data, and its history is that of other data.
ON_TEST_DATA = '''    from autograder.course import datasets

    test = datasets.load("noisy_blobs", seed=0)
    return model.fit(test.x_test, test.y_test, validation_data=(x_val, y_val), epochs=epochs, batch_size=32,
                     callbacks=[make_early_stopping(patience)], verbose=0)'''


def ids(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


WRONG = [
    Wrong("best weights not restored",
          ((", restore_best_weights=True", ""),),
          # In the capped case the last epoch is the best one: restoring changes nothing.
          fails=ids(CALLBACKS, "callback", "kept") + ids(TRAININGS[:3], "weights"),
          says="restore_best_weights=False, expected True"),
    Wrong("patience hard-coded to the example's 3",
          (("patience=patience, restore", "patience=3, restore"),),
          # The best epoch comes before either patience runs out, so the kept weights are the same; the
          # capped case ends at its cap before either patience does.
          fails=ids(CALLBACKS[1:], "callback", "run") + ids(TRAININGS[1:3], "history"),
          says="patience=3, expected 8", slow=True),
    Wrong("monitoring the training loss",
          (('monitor="val_loss"', 'monitor="loss"'),),
          fails=ids(CALLBACKS, "callback", "run", "kept") + ids(TRAININGS[:3], "history", "weights"),
          says="monitor='loss', expected 'val_loss'", slow=True),
    Wrong("another batch size",
          (("epochs=epochs, batch_size=32", "epochs=epochs, batch_size=64"),),
          fails=ids(TRAININGS, "history", "weights"),
          says="the reference's training on the same data"),
    Wrong("the epoch cap ignored",
          (("epochs=epochs, batch_size=32", "epochs=100, batch_size=32"),),
          fails=ids(("capped",), "history", "weights"),
          says="training ran", slow=True),
    Wrong("a forged history", ((FIT, FORGED),),
          fails=ids(TRAININGS, "history", "weights"),
          says="the reference's training on the same data"),
    Wrong("training on the regenerated test split", ((FIT, ON_TEST_DATA),),
          fails=ids(TRAININGS, "history", "weights"),
          says="the reference's training on the same data", slow=True),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)
