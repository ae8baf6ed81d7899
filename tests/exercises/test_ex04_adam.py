from contract import Wrong, contract_tests

EXERCISE = "ex04"
COMPILE_CASES = ("default", "fast", "slow_wine", "tiny_rate")
ALL_CHECKS = tuple(f"{case}.{check}" for case in COMPILE_CASES for check in ("optimizer", "learning_rate", "loss")) + (
    "default.metric", "sweep.value", "sweep_other.value", "sweep_diverging.value")

WRONG = [
    Wrong("the post-era spelling Adam(lr=...)",
          (("keras.optimizers.Adam(learning_rate=learning_rate)", "keras.optimizers.Adam(lr=learning_rate)"),),
          # Keras 3 refuses the old argument, so nothing runs.
          fails=ALL_CHECKS,
          says="Argument(s) not recognized"),
    Wrong("SGD instead of Adam",
          (("keras.optimizers.Adam(learning_rate=learning_rate)", "keras.optimizers.SGD(learning_rate=learning_rate)"),),
          # Plain SGD at Adam's rates hardly learns in 10 epochs, and its sweep prefers far larger rates;
          # between 1e-3 and 1e-5 (1e20 diverges) it hardly moves in 3 epochs: measured, 1e-5's copy wins.
          fails=("default.optimizer", "fast.optimizer", "slow_wine.optimizer", "tiny_rate.optimizer",
                 "default.metric", "sweep.value", "sweep_diverging.value"),
          says="optimizer SGD; expected: optimizer Adam; compile with optimizer=keras.optimizers.Adam", slow=True),
    Wrong("learning rate ignored",
          (("keras.optimizers.Adam(learning_rate=learning_rate)", "keras.optimizers.Adam()"),),
          # The sweep then trains every copy at 0.001, so its pick is whichever initialization does best:
          # measured, the middle copy wins in the first two sweeps, which happens to be the right rate, and
          # the first (1e20's) in the diverging one.
          fails=("fast.learning_rate", "slow_wine.learning_rate", "tiny_rate.learning_rate",
                 "sweep_diverging.value"),
          says="Adam with learning rate 0.001; expected: Adam with learning rate 0.01", slow=True),
    Wrong("sweep returns the position of the best rate",
          (("return learning_rates[final_losses.index(min(final_losses))]", "return final_losses.index(min(final_losses))"),),
          fails=("sweep.value", "sweep_other.value", "sweep_diverging.value"),
          says="expected 0.001, got 1", slow=True),
    Wrong("a NaN loss not counted as the worst",
          (("final_losses.append(loss if math.isfinite(loss) else math.inf)", "final_losses.append(loss)"),),
          # Adam at 1e20 ends in a NaN loss, which comes first: min([nan, 1.76, 2.39]) is nan, so the
          # diverged rate wins. The other sweeps' losses stay finite.
          fails=("sweep_diverging.value",),
          says="expected 0.001, got 1e+20"),
]


(test_reference_earns_full_marks, test_untouched_stub_earns_zero,
 test_wrong_submission_loses_the_right_points) = contract_tests(EXERCISE, WRONG)
