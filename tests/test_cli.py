import subprocess
import sys

import pytest

from skactive.cli import main


def run_cli(*args, cwd=None):
    """``python -m skactive ARGS`` in a fresh process."""
    return subprocess.run([sys.executable, "-m", "skactive", *args],
                          capture_output=True, text=True, cwd=cwd)


def exit_code_and_stderr(args, capsys):
    """Run ``main(args)`` in this process: an uncaught exception (a traceback
    for the user) fails the test; a clean exit gives its code and message."""
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    return exit_info.value.code, capsys.readouterr().err


SMALL = ["--repeats", "2", "--rounds", "2", "--batch-size", "5", "--n-jobs", "1",
         "--no-progress"]


def test_demo_writes_table_and_files(tmp_path):
    out = tmp_path / "out"
    done = run_cli("demo", "--dataset", "iris", "--output", str(out), *SMALL)
    assert done.returncode == 0, done.stderr
    assert "AUBC" in done.stdout
    for strategy in ("entropy", "margin", "kmeans", "coreset", "random"):
        assert strategy in done.stdout
    assert (out / "curves.csv").exists() and (out / "summary.csv").exists()
    pytest.importorskip("matplotlib")
    assert (out / "curves.png").stat().st_size > 0


def test_run_on_a_csv_with_svc(tmp_path):
    data = tmp_path / "data.csv"
    lines = ["a,b,label"] + [f"{i % 7},{(i * 3) % 11},{'yes' if i % 7 > 3 else 'no'}"
                             for i in range(80)]
    data.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    assert main(["run", "--data", str(data), "--target", "label", "--estimator",
                 "svc", "--strategies", "margin,entropy,random", "--output", str(out),
                 *SMALL]) == 0
    assert (out / "summary.csv").read_text().splitlines()[0].startswith("strategy")
    summary = (out / "summary.csv").read_text()
    assert "margin" in summary and "entropy" not in summary


def test_checkpoint_option_resumes(tmp_path):
    args = ["demo", "--dataset", "iris", "--output", str(tmp_path), "--checkpoint",
            "--strategies", "margin,random", *SMALL]
    assert main(args) == 0
    first = (tmp_path / "curves.csv").read_text()
    assert len(list((tmp_path / "checkpoint").glob("run-*.json"))) == 4
    assert main(args) == 0
    assert (tmp_path / "curves.csv").read_text() == first


@pytest.mark.parametrize("args, message", [
    (["demo", "--dataset", "mnist"], "invalid choice: 'mnist'"),
    (["demo", "--repeats", "0"], "0 is not a positive integer"),
    (["demo", "--strategies", "margin,magic"], "unknown strategy 'magic'"),
    (["demo", "--test-size", "1.5"], "--test-size must be between 0 and 1"),
    (["run", "--target", "y"], "the following arguments are required: --data"),
    (["run", "--data", "missing.csv", "--target", "y"], "cannot read missing.csv"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
])
def test_bad_arguments_exit_cleanly(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    code, stderr = exit_code_and_stderr(args, capsys)
    assert code == 2
    assert message in stderr


@pytest.mark.parametrize("content, message", [
    ("a,b,y\n1,x,0\n2,3,1\n", "non-numeric feature columns: b"),
    ("a,b,y\n1,,0\n2,3,1\n", "columns with missing values: b"),
    ("a,y\n1,0\n2,0\n3,0\n", "single class"),
    ("a,b\n1,0\n2,1\n", "no column 'y'"),
    ("a,y\n1,0\n2,1\n3,1\n", "has a single sample"),
])
def test_bad_csv_files(tmp_path, monkeypatch, capsys, content, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.csv").write_text(content)
    code, stderr = exit_code_and_stderr(
        ["run", "--data", "data.csv", "--target", "y", *SMALL], capsys)
    assert code == 2
    assert message in stderr


def test_errors_reach_the_user_without_a_traceback(tmp_path):
    done = run_cli("run", "--data", "missing.csv", "--target", "y", cwd=tmp_path)
    assert done.returncode == 2
    assert "skactive: error: cannot read missing.csv" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [[], ["demo"], ["run"]])
def test_help_everywhere(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: skactive" in capsys.readouterr().out


def test_demo_offers_the_hybrid_strategies(tmp_path):
    assert main(["demo", "--dataset", "wine", "--output", str(tmp_path),
                 "--strategies", "weighted_kmeans,cluster_margin,typiclust",
                 *SMALL]) == 0
    summary = (tmp_path / "summary.csv").read_text()
    for name in ("weighted_kmeans", "cluster_margin", "typiclust"):
        assert name in summary
