"""Label hygiene and column handling of the CSV command line (issue 23):
typos and mixed types never become classes silently, ``--classes`` and
``--missing``, free-text columns encoded with TF-IDF, stray text in a
numeric column reported, the same feature summary from ``select`` and
``run``."""

import csv

import numpy as np
import pytest

from skactive.cli import main

pd = pytest.importorskip("pandas")


def exit_code_and_stderr(args, capsys):
    """``main(args)`` expected to exit: its code and its stderr."""
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    return exit_info.value.code, capsys.readouterr().err


def _customers(path, labels, age=None):
    """A customer CSV: id, age, plan, label (one row per label; a blank label
    is a row to select from). Line k + 2 of the file holds labels[k]."""
    rng = np.random.RandomState(0)
    rows = ["customer_id,age,plan,label"]
    for k, label in enumerate(labels):
        cell = age[k] if age is not None else str(20 + rng.randint(50))
        plan = ("basic", "pro", "team")[rng.randint(3)]
        rows.append(f"c{k:03d},{cell},{plan},{label}")
    path.write_text("\n".join(rows) + "\n")


def _select(tmp_path, *extra):
    return ["select", "--data", str(tmp_path / "data.csv"), "--target", "label",
            "--drop", "customer_id", "--output", str(tmp_path / "next.csv"),
            *extra]


def _base_labels():
    """10 labeled rows (churn / stay) then 20 blank ones."""
    return ["churn", "stay"] * 5 + [""] * 20


def test_a_typo_and_a_padded_label_are_warned_with_their_lines(tmp_path, capsys):
    labels = _base_labels()
    labels[10], labels[11] = "chrun", "Churn "  # lines 12 and 13
    _customers(tmp_path / "data.csv", labels)
    assert main(_select(tmp_path)) == 0
    err = capsys.readouterr().err
    warnings = err.strip().splitlines()
    assert all(line.startswith("skactive: warning: ") for line in warnings)
    [typo] = [line for line in warnings if "'chrun'" in line]
    assert "line 12" in typo and "'churn'" in typo and "one edit" in typo
    [spaces] = [line for line in warnings if "spaces" in line]
    assert "line 13" in spaces
    [case] = [line for line in warnings if "'Churn'" in line]
    assert "line 13" in case and "case" in case and "--classes" in case


def test_numbers_and_text_in_the_label_column_are_refused_naming_lines(
        tmp_path, capsys):
    labels = _base_labels()
    labels[:6] = ["1", "1.0", "churn", "0", "0.0", "stay"]  # lines 2 to 7
    _customers(tmp_path / "data.csv", labels)
    code, err = exit_code_and_stderr(_select(tmp_path), capsys)
    assert code == 2
    assert ("column 'label' mixes numbers (lines 2, 3, 5, 6) and text (lines 4, "
            "7, 8, 9") in err
    assert len(err.strip().splitlines()) == 1


def test_1_and_1_0_are_one_class(tmp_path, capsys):
    labels = ["1", "1.0", "0", "0.0"] * 3 + [""] * 20
    _customers(tmp_path / "data.csv", labels)
    assert main(_select(tmp_path)) == 0
    predicted = {row["predicted label"] for row in _batch(tmp_path / "next.csv")}
    assert predicted <= {"0", "1"}  # two classes, written as the labels are


def _batch(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_classes_refuse_a_typo_naming_its_line_and_the_closest_class(
        tmp_path, capsys):
    labels = _base_labels()
    labels[10], labels[14] = "chrun", "STAY"  # lines 12 and 16
    _customers(tmp_path / "data.csv", labels)
    code, err = exit_code_and_stderr(
        _select(tmp_path, "--classes", "churn,stay"), capsys)
    assert code == 2
    assert "data.csv line 12: label 'chrun' is not one of --classes churn, stay " \
        "(closest: 'churn')" in err
    assert "line 16: label 'STAY' (closest: 'stay')" in err


def test_classes_accept_the_listed_classes_without_warnings(tmp_path, capsys):
    labels = _base_labels()
    _customers(tmp_path / "data.csv", labels)
    assert main(_select(tmp_path, "--classes", "churn, stay, unsure")) == 0
    assert capsys.readouterr().err == ""


def test_missing_markers_blank_labels_and_features(tmp_path, capsys):
    labels = ["churn", "stay"] * 5 + ["?"] * 20
    age = [str(20 + k) for k in range(30)]
    age[3] = "?"
    _customers(tmp_path / "data.csv", labels, age)
    assert main(_select(tmp_path, "--missing", "?", "--batch-size", "5")) == 0
    out = capsys.readouterr().out
    assert "10 labeled rows, 20 to go" in out
    assert "missing values imputed in age" in out
    picked = {row["customer_id"] for row in _batch(tmp_path / "next.csv")}
    assert len(picked) == 5 and picked <= {f"c{k:03d}" for k in range(10, 30)}


def test_na_is_a_value_unless_marked_missing(tmp_path, capsys):
    # pandas would read "NA" as a blank; here only empty cells are blank.
    labels = _base_labels()
    labels[10] = "NA"  # line 12
    _customers(tmp_path / "data.csv", labels)
    assert main(_select(tmp_path)) == 0
    [warning] = capsys.readouterr().err.strip().splitlines()
    assert "'NA' (line 12) looks like a blank marker" in warning
    assert "--missing NA" in warning


def test_a_stray_word_in_a_numeric_column_is_reported(tmp_path, capsys):
    labels = _base_labels()
    age = [str(20 + k) for k in range(30)]
    age[6], age[20] = "forty", "n/a"  # lines 8 and 22
    _customers(tmp_path / "data.csv", labels, age)
    code, err = exit_code_and_stderr(_select(tmp_path), capsys)
    assert code == 2
    assert ("column 'age' holds numbers but 2 cells are not: line 8 'forty', line "
            "22 'n/a'") in err
    assert "--missing" in err
    # Marked as blank, they are imputed.
    _customers(tmp_path / "data.csv", labels, [a.replace("forty", "?") for a in age])
    assert main(_select(tmp_path, "--missing", "?,n/a")) == 0


def test_select_prints_the_feature_summary_of_run(tmp_path, capsys):
    _customers(tmp_path / "data.csv", _base_labels())
    assert main(_select(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "features: 1 numeric (scaled); 1 categorical (one-hot: plan)" in out


# Free text

_TOPICS = {
    "billing": ["invoice", "refund", "charged", "payment"],
    "technical": ["crash", "error", "bug", "freezes"],
    "account": ["password", "login", "username", "locked"],
}
_FILLER = ("the my our a please help today again since yesterday urgent "
           "customer team thanks hello issue problem with when after").split()


def _tickets(path, n=240, seed=0):
    """Tickets whose label is decided by one word of the text; every text is
    distinct, so one-hot encoding sees only unknown values at test time."""
    rng = np.random.RandomState(seed)
    names = list(_TOPICS)
    rows = [["ticket", "channel", "label"]]
    for i in range(n):
        label = names[i % 3]
        words = list(rng.choice(_FILLER, size=6)) + [rng.choice(_TOPICS[label])]
        rng.shuffle(words)
        rows.append([" ".join(words) + f" #{i}", rng.choice(["mail", "phone"]),
                     label])
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)


def test_free_text_is_encoded_with_tfidf_not_one_hot(tmp_path):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    from skactive.cli._csv import describe_columns, make_preprocessor, read_table

    _tickets(tmp_path / "tickets.csv")
    X, y = read_table(tmp_path / "tickets.csv", "label")
    one_hot = make_pipeline(OneHotEncoder(handle_unknown="ignore"),
                            LogisticRegression())
    at_chance = cross_val_score(one_hot, X.astype(object), y, cv=3).mean()
    assert at_chance < 0.45  # three classes
    model = make_pipeline(make_preprocessor(), LogisticRegression())
    assert cross_val_score(model, X, y, cv=3).mean() > 0.9
    assert describe_columns(X) == ("0 numeric (scaled); 1 categorical (one-hot: "
                                   "channel); 1 text (TF-IDF: ticket)")


def test_run_on_tickets_reaches_a_high_accuracy(tmp_path, capsys):
    _tickets(tmp_path / "tickets.csv")
    assert main(["run", "--data", str(tmp_path / "tickets.csv"), "--target",
                 "label", "--strategies", "margin,random", "--output",
                 str(tmp_path / "out"), "--repeats", "2", "--rounds", "3",
                 "--batch-size", "20", "--n-jobs", "1", "--no-progress"]) == 0
    assert "1 text (TF-IDF: ticket)" in capsys.readouterr().out
    with open(tmp_path / "out" / "summary.csv", newline="") as f:
        final = {row["strategy"]: float(row["final_mean"])
                 for row in csv.DictReader(f)}
    assert min(final.values()) > 0.8


def test_text_cells_left_blank_are_empty_texts(tmp_path):
    from skactive.cli._csv import make_preprocessor, read_table

    _tickets(tmp_path / "tickets.csv", n=60)
    lines = (tmp_path / "tickets.csv").read_text().splitlines()
    lines[5] = "," + lines[5].split(",", 1)[1]  # line 6: the fifth row
    (tmp_path / "tickets.csv").write_text("\n".join(lines) + "\n")
    X, y = read_table(tmp_path / "tickets.csv", "label")
    assert X["ticket"].iloc[4] == ""
    assert make_preprocessor().fit_transform(X).shape[0] == 60
