"""feedback.html from a result alone: layers aligned and differences marked, learning curves drawn,
hidden cases reduced to passed or failed. The browser test lives with the batch (tests/test_batch.py)."""

from html.parser import HTMLParser

from autograder.measure.summary import LayerInfo, ModelSummary
from autograder.results import CheckResult, ExerciseResult, GradingResult, feedback


def layer(index, cls, shape, params, **config):
    return LayerInfo(index, f"{cls.lower()}_{index}", cls, (cls, "Layer"), shape, params, 0, config)


REFERENCE = ModelSummary("Sequential", (layer(1, "Dense", (None, 64), 4160, units=64, activation="relu"),
                                        layer(2, "Dense", (None, 10), 650, units=10, activation="softmax")),
                         (None, 64), (None, 10))
EXTRA_LAYER = ModelSummary("Sequential", (layer(1, "Dense", (None, 64), 4160, units=64, activation="relu"),
                                          layer(2, "Dropout", (None, 64), 0, rate=0.5),
                                          layer(3, "Dense", (None, 10), 650, units=10, activation="softmax")),
                           (None, 64), (None, 10))
CURVES = {"trained:digits_flat/seed0/e15/b32/lr0.001/sparse_categorical_crossentropy/recipe":
          {"loss": [2.0, 1.0, 0.5], "accuracy": [0.3, 0.7, 0.9]}}
SECRET_CALL = "build_classifier(num_features=13, num_classes=3, units=24)"


def check(case, passed, message, visibility="public"):
    return CheckResult("ex02", f"{case}.layer_types", "layer_types", case, "layer types", float(passed), 1.0,
                       passed, message, visibility)


def demo_result(student=EXTRA_LAYER) -> GradingResult:
    student_curves = {k: {m: [v * 0.9 for v in vs] for m, vs in h.items()} for k, h in CURVES.items()}
    details = {
        "default": {"call": "build_classifier(num_features=64, num_classes=10, units=64)", "visibility": "public",
                    "failure": None, "student": {"summary": student.to_dict(), "curves": student_curves},
                    "reference": {"summary": REFERENCE.to_dict(), "curves": CURVES}},
        "wine": {"call": SECRET_CALL, "visibility": "hidden", "failure": None,
                 "student": {"summary": student.to_dict()}, "reference": {"summary": REFERENCE.to_dict()}},
    }
    checks = [check("default", False, "layer 2: unexpected Dropout(0.5) -> (None, 64)"),
              check("wine", False, "layer 2: unexpected Dropout(0.5) -> (None, 13) SECRET", "hidden")]
    exercise = ExerciseResult("ex02", "Width of a Dense layer", "graded", checks, details=details)
    broken = ExerciseResult("ex06", "Conv2D", "error", [], "syntax error in ex06_conv2d.py line 3")
    return GradingResult("ada", [exercise, broken], "all")


class Elements(HTMLParser):
    """Tags with their classes, and the page's text, for assertions that ignore layout."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, set[str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, set((dict(attrs).get("class") or "").split())))

    def handle_data(self, data):
        self.text.append(data)

    def count(self, tag, cls=None):
        return sum(t == tag and (cls is None or cls in classes) for t, classes in self.tags)


def test_an_extra_layer_gets_its_own_row_and_the_rest_stay_paired():
    rows = feedback.align_layers(EXTRA_LAYER, REFERENCE)
    assert [(r.student and r.student.cls, r.reference and r.reference.cls) for r in rows] == [
        ("Dense", "Dense"), ("Dropout", None), ("Dense", "Dense")]
    assert [bool(r.differences) for r in rows] == [False, True, False]


def test_an_extra_layer_of_the_same_class_is_found_by_its_size():
    wider = ModelSummary("Sequential", (REFERENCE.layers[0], layer(2, "Dense", (None, 32), 2080, units=32),
                                        layer(3, "Dense", (None, 10), 330, units=10, activation="softmax")),
                         (None, 64), (None, 10))
    rows = feedback.align_layers(wider, REFERENCE)
    assert [(r.student and r.student.describe(), r.reference and r.reference.describe()) for r in rows] == [
        ("Dense(64)", "Dense(64)"), ("Dense(32)", None), ("Dense(10)", "Dense(10)")]
    assert rows[2].differences == {"params"}


def test_a_changed_width_marks_layer_and_parameters_but_not_the_shape():
    narrow = ModelSummary("Sequential", (layer(1, "Dense", (None, 64), 520, units=8, activation="relu"),
                                         REFERENCE.layers[1]), (None, 64), (None, 10))
    first = feedback.align_layers(narrow, REFERENCE)[0]
    assert first.differences == {"layer", "params"}


def test_a_missing_model_leaves_every_reference_layer_unmatched():
    rows = feedback.align_layers(None, REFERENCE)
    assert len(rows) == 2 and all(r.student is None and r.differences for r in rows)


def test_page_shows_both_models_highlights_differences_and_plots_curves():
    page = Elements(feedback.render(demo_result()))
    text = "".join(page.text)
    assert page.count("table", "models") == 1 and page.count("tr", "differs") == 1
    assert page.count("td", "gap") == 1 and "not in the reference" in text
    assert page.count("figure", "curves") == 1 and page.count("svg") == 1
    assert "Trained by the grader: digits_flat, 15 epochs" in text
    assert "layer 2: unexpected Dropout(0.5) -> (None, 64)" in text
    assert "syntax error in ex06_conv2d.py line 3" in text and "not graded" in text


def test_hidden_cases_show_only_whether_they_passed():
    result = demo_result()
    result.exercises[0].checks.append(check("iris", True, "3 layers as expected SECRET", "hidden"))
    html = feedback.render(result)
    assert SECRET_CALL not in html and "SECRET" not in html and "(None, 13)" not in html
    assert "failed (hidden case: details are withheld)" in html
    text = " ".join(" ".join(Elements(html).text).split())
    assert "PASS hidden case" in text and "PASS passed" not in text
    assert html.count('class="case"') == 1  # the public case only


def test_student_text_is_escaped():
    result = demo_result()
    result.exercises[1].message = "<script>alert(1)</script>"
    html = feedback.render(result)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_identical_models_show_no_difference():
    page = Elements(feedback.render(demo_result(student=REFERENCE)))
    assert page.count("tr", "differs") == 0 and page.count("tr", "same") == 2
