from contract import Wrong, contract_tests

EXERCISE = "ex20"
CASES = ("default", "longer", "short_run", "other_data")
SAVES_BEST = tuple(f"{case}.saves_best" for case in CASES)

WRONG = [
    Wrong("saves every epoch",
          (('mode="max",\n                                                 save_best_only=True)', 'mode="max")'),),
          # The cases' seeds make the last epoch worse than the best one.
          fails=SAVES_BEST,
          says="the checkpoint best_model.keras scores val_accuracy 0.8650, but the best epoch had 0.8800", slow=True),
    Wrong("the post's val_loss monitor",
          (('monitor="val_accuracy", mode="max"', 'monitor="val_loss", mode="min"'),),
          # The cases' seeds make the lowest val_loss fall on an epoch with less than the best accuracy.
          fails=SAVES_BEST,
          says="but the best epoch had 0.8800", slow=True),
    Wrong("the post's .h5 file instead of the given path",
          (("ModelCheckpoint(checkpoint_path,", 'ModelCheckpoint("best_model.h5",'),),
          fails=SAVES_BEST + ("default.metric",),
          says="no checkpoint best_model.keras was saved in the working directory"),
    Wrong("file name hard-coded to the example's",
          (("ModelCheckpoint(checkpoint_path,", 'ModelCheckpoint("best_model.keras",'),),
          fails=("short_run.saves_best", "other_data.saves_best"),
          says="no checkpoint checkpoint.keras was saved in the working directory", slow=True),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)
