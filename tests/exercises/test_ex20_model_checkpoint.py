from contract import Wrong, contract_tests

EXERCISE = "ex20"
CALLBACKS = ("callback", "other_data_callback", "renamed_callback", "hidden_data_callback")
TRAININGS = ("default", "longer", "short_run", "other_data")
FIT = '''    return model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs, batch_size=32,
                     callbacks=[make_checkpoint(checkpoint_path)], verbose=0)'''
# Saves the given model untrained and makes up the history a good run would have had.
FORGED = '''    model.save(checkpoint_path)
    history = keras.callbacks.History()
    history.set_model(model)
    history.history = {"loss": [0.5] * epochs, "accuracy": [0.8] * epochs, "val_loss": [0.5] * epochs,
                       "val_accuracy": [0.8] * epochs}
    return history'''


def ids(cases, *checks):
    return tuple(f"{case}.{check}" for case in cases for check in checks)


WRONG = [
    Wrong("saves every epoch",
          (('mode="max",\n                                           save_best_only=True)', 'mode="max")'),),
          # The cases' seeds make the last epoch worse than the best one.
          fails=ids(CALLBACKS, "callback", "kept") + ids(TRAININGS, "checkpoint"),
          says="save_best_only=False, expected True"),
    Wrong("the post's val_loss monitor",
          (('monitor="val_accuracy", mode="max"', 'monitor="val_loss", mode="min"'),),
          # The cases' seeds make the lowest val_loss fall on an epoch with less than the best accuracy.
          fails=ids(CALLBACKS, "callback", "kept") + ids(TRAININGS, "checkpoint"),
          says="monitor='val_loss', expected 'val_accuracy'", slow=True),
    Wrong("the post's .h5 file instead of the given path",
          (("ModelCheckpoint(checkpoint_path,", 'ModelCheckpoint("best_model.h5",'),),
          fails=ids(CALLBACKS, "callback") + ids(TRAININGS, "checkpoint"),
          says="filepath='best_model.h5', expected 'best_model.keras'"),
    Wrong("file name hard-coded to the example's",
          (("ModelCheckpoint(checkpoint_path,", 'ModelCheckpoint("best_model.keras",'),),
          fails=("renamed_callback.callback", "short_run.checkpoint"),
          says="filepath='best_model.keras', expected 'checkpoint.keras'", slow=True),
    Wrong("another batch size",
          (("epochs=epochs, batch_size=32", "epochs=epochs, batch_size=16"),),
          fails=ids(TRAININGS, "history", "checkpoint"),
          says="the reference's training on the same data", slow=True),
    Wrong("a forged history and an untrained checkpoint", ((FIT, FORGED),),
          fails=ids(TRAININGS, "history", "checkpoint"),
          says="the reference's training on the same data"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)
