"""``skactive stream``: a CSV file replayed as a stream, in file order."""

import csv

import numpy as np
import pytest

from skactive.cli import main
from skactive.experiment import make_sea_stream

SMALL = ["--repeats", "2", "--n-jobs", "1", "--no-progress", "--batch-size", "200"]


@pytest.fixture
def sea_csv(tmp_path):
    """A drifting stream as a CSV file: three numbers, a category, a label."""
    batches = list(make_sea_stream(1200, batch_size=1200, random_state=0))
    X, y = batches[0]
    path = tmp_path / "sea.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "a", "b", "c", "shop", "label"])
        for i, (row, label) in enumerate(zip(X, y)):
            writer.writerow([i, *np.round(row, 3), "north" if i % 2 else "south",
                             "yes" if label else "no"])
    return path


def exit_code_and_stderr(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    return exit_info.value.code, capsys.readouterr().err


def test_stream_writes_curves_and_summary(sea_csv, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["stream", "--data", str(sea_csv), "--target", "label", "--drop",
                 "id", "--budget", "0.2", "--strategies",
                 "variable_uncertainty,random,everything", "--output", str(out),
                 *SMALL]) == 0
    printed = capsys.readouterr().out
    assert "1200 rows, 4 features, 2 classes" in printed
    for name in ("variable_uncertainty", "random", "everything", "last window"):
        assert name in printed
    with open(out / "curves.csv") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["strategy", "repeat", "round", "n_seen", "score",
                             "n_labeled", "window_score"]
    # 100 initial rows, then mini-batches of 200 (the first cut to 100).
    assert [int(r["n_seen"]) for r in rows[:6]] == [200, 400, 600, 800, 1000, 1200]
    everything = [r for r in rows if r["strategy"] == "everything"]
    assert all(r["n_labeled"] == r["n_seen"] for r in everything)
    with open(out / "summary.csv") as f:
        summary = {r["strategy"]: r for r in csv.DictReader(f)}
    assert float(summary["everything"]["labeled_fraction"]) == 1.0
    assert 0.1 < float(summary["random"]["labeled_fraction"]) < 0.35
    pytest.importorskip("matplotlib")
    assert (out / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_stream_errors_are_one_line(sea_csv, tmp_path, capsys):
    base = ["stream", "--data", str(sea_csv), "--output", str(tmp_path), *SMALL]
    code, err = exit_code_and_stderr([*base, "--target", "lable"], capsys)
    assert code == 2 and "lable" in err and "label" in err
    code, err = exit_code_and_stderr([*base, "--target", "label", "--budget", "2"],
                                     capsys)
    assert code == 2 and "(0, 1]" in err
    code, err = exit_code_and_stderr([*base, "--target", "label", "--strategies",
                                      "margin"], capsys)
    assert code == 2 and "unknown stream strategy" in " ".join(err.split())
    code, err = exit_code_and_stderr([*base, "--target", "a"], capsys)
    assert code == 2 and "regression" in err
    code, err = exit_code_and_stderr([*base, "--target", "label",
                                      "--initial-size", "5000"], capsys)
    assert code == 2 and "--initial-size 5000" in err
    assert "Traceback" not in err


def test_stream_is_listed_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "stream" in capsys.readouterr().out
