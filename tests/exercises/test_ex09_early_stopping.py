from contract import Wrong, contract_tests

EXERCISE = "ex09"
CASES = ("default", "patient", "impatient", "other_data")

WRONG = [
    Wrong("best weights not restored",
          ((", restore_best_weights=True", ""),),
          fails=tuple(f"{case}.restores_best" for case in CASES),
          says="restore the best epoch's weights (restore_best_weights=True)", slow=True),
    Wrong("patience hard-coded to the example's 3",
          (("patience=patience", "patience=3"),),
          fails=("patient.stopping", "impatient.stopping", "other_data.stopping"),
          says="stopping 3 after the best val_loss; the reference stops 8 after its best"),
    Wrong("monitoring the training loss",
          (('monitor="val_loss"', 'monitor="loss"'),),
          fails=tuple(f"{case}.{check}" for case in CASES for check in ("stopping", "restores_best")),
          says="after the best val_loss", slow=True),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)
