import re
import subprocess
import sys

import numpy as np
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


def test_demo_keeps_the_matplotlib_backend_and_pyplot_state(tmp_path):
    # Called from a notebook or a script, main() must not switch the user's
    # backend (it used to call matplotlib.use("Agg")) nor leave figures open.
    matplotlib = pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    before = matplotlib.get_backend()
    try:
        matplotlib.use("svg")
        figures = plt.get_fignums()
        assert main(["demo", "--dataset", "iris", "--strategies", "margin,random",
                     "--output", str(tmp_path), *SMALL]) == 0
        assert matplotlib.get_backend() == "svg"
        assert plt.get_fignums() == figures
    finally:
        matplotlib.use(before)
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


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
    ("a,b,y\n1,x,\n2,z,1\n4,x,\n", "2 of 3 rows of data.csv have no label in "
     "column 'y' (lines 2, 4)"),
    ("a,b,lable\n1,0,0\n2,1,1\n", "no column 'y' in data.csv; its columns are: "
     "a, b, lable"),
    ("a,b,Y_\n1,0,0\n2,1,1\n", "no column 'y' in data.csv (did you mean 'Y_'?)"),
    ("a,y\n1,0\n2,0\n3,0\n", "the target has a single class (0)"),
    ("a,b\n1,0\n2,1\n", "no column 'y'"),
    ("a,y\n1,0\n2,1\n3,1\n", "class 0 has a single sample"),
    ("a,b,y\n1,2,x\n3,4,x\n5,6,x\n", "the target has a single class ('x'): "
     "nothing to classify"),
    ("a,y\n1,no\n2,yes\n3,yes\n", "class 'no' has a single sample"),
    # The library's reader: a short row is refused, not filled with NaN.
    ("a,b,y\n1,0,0\n2,1\n3,1,1\n", "data.csv line 3 has 2 fields, the header 3"),
    ("a,b,y\n", "data.csv has a header row but no data rows"),
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


def help_text(command, monkeypatch, capsys):
    """``skactive COMMAND --help``, one line per option."""
    monkeypatch.setenv("COLUMNS", "1000")
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command",
                         [[], ["demo"], ["run"], ["select"], ["benchmark"]])
def test_help_everywhere(command, monkeypatch, capsys):
    assert "usage: skactive" in help_text(command, monkeypatch, capsys)


def test_top_level_help_describes_every_command(monkeypatch, capsys):
    description = help_text([], monkeypatch, capsys).split("positional arguments")[0]
    description = description.split("\n", 2)[2]  # after the usage line
    for command in ("demo", "run", "select", "benchmark"):
        assert command in description


def _files_in_help(command, monkeypatch, capsys):
    [line] = [line for line in help_text([command], monkeypatch, capsys).splitlines()
              if line.strip().startswith("--output")]
    return set(re.findall(r"[\w.]+\.(?:csv|png|html|svg|pdf|tex)", line))


def test_output_help_names_the_files_written(tmp_path, monkeypatch, capsys):
    pytest.importorskip("matplotlib")
    for command, extra in [("demo", ["--dataset", "iris"]),
                           ("benchmark", ["--datasets", "iris,wine"])]:
        out = tmp_path / command
        assert main([command, *extra, "--strategies", "margin,random", "--output",
                     str(out), *SMALL]) == 0
        written = {path.name for path in out.iterdir()}
        assert _files_in_help(command, monkeypatch, capsys) == written


def test_demo_offers_the_hybrid_strategies(tmp_path):
    assert main(["demo", "--dataset", "wine", "--output", str(tmp_path),
                 "--strategies", "weighted_kmeans,cluster_margin,typiclust",
                 *SMALL]) == 0
    summary = (tmp_path / "summary.csv").read_text()
    for name in ("weighted_kmeans", "cluster_margin", "typiclust"):
        assert name in summary


def test_command_line_strategies_are_named_as_in_the_library():
    # One name per idea: --strategies X builds a sampler whose strategy is X.
    from sklearn.linear_model import Ridge
    from sklearn.preprocessing import StandardScaler

    from skactive.cli._strategies import STRATEGIES, make_samplers

    samplers, dropped = make_samplers(list(STRATEGIES), "forest", Ridge(),
                                      StandardScaler())
    assert not dropped
    for name, sampler in samplers.items():
        # A strategy of a sampler, or a sampler of its own named for it, in
        # full or by its initials (ExpectedErrorReduction: eer).
        own_name = type(sampler).__name__.removesuffix("Sampler")
        initials = "".join(c for c in own_name if c.isupper()).lower()
        strategy = sampler.get_params().get("strategy")
        assert name in ((strategy,) if strategy else (own_name.lower(), initials))


MIXED = """id;colour;size;weight;label
{rows}"""


def _mixed_csv(path, n=120):
    rng = np.random.RandomState(0)
    rows = []
    for i in range(n):
        label = ("small", "medium", "large")[i % 3]
        colour = ("red", "green", "blue")[(i % 3 + (rng.rand() < 0.3)) % 3]
        size = "" if i % 17 == 5 else f"{i % 3 + rng.normal(scale=0.7):.3f}"
        rows.append(f"id-{i:04d};{colour};{size};{rng.normal():.3f};{label}")
    path.write_text(MIXED.format(rows="\n".join(rows)) + "\n")


def test_run_on_a_mixed_csv_with_an_id_column_and_semicolons(tmp_path, capsys):
    pytest.importorskip("pandas")
    data = tmp_path / "mixed.csv"
    _mixed_csv(data)
    before = data.read_bytes()
    assert main(["run", "--data", str(data), "--target", "label", "--drop", "id",
                 "--strategies", "margin,coreset,weighted_kmeans,random",
                 "--output", str(tmp_path / "out"), *SMALL]) == 0
    out = capsys.readouterr().out
    assert "3 classes" in out and "AUBC" in out
    assert "1 categorical (one-hot: colour)" in out
    assert "missing values imputed in size" in out
    assert data.read_bytes() == before


# mixed.csv: 120 rows, 90 in the pool after the test split.
@pytest.mark.parametrize("args, message", [
    (["--drop", "ID"], "no column 'ID' in mixed.csv (did you mean 'id'?)"),
    (["--batch-size", "500"], "--batch-size 500 is larger than the 45 unlabeled "
     "samples of the pool (90 after the test split, 45 labeled at the start): "
     "pass at most 45."),
    (["--rounds", "50"], "--rounds 50 asks for 255 samples (50 rounds of 5 labels "
     "after 5 initial ones), but the pool has 90 after the test split: pass at "
     "most 17."),
    (["--initial-size", "1"], "--initial-size 1 cannot hold two classes, and the "
     "first model needs two to be fitted: pass at least 2"),
    (["--initial-size", "90"], "--initial-size 90 leaves nothing to select from a "
     "pool of 90 samples (after the test split): pass at most 89."),
])
def test_run_errors_are_one_line(tmp_path, monkeypatch, capsys, args, message):
    pytest.importorskip("pandas")
    monkeypatch.chdir(tmp_path)
    _mixed_csv(tmp_path / "mixed.csv")
    code, stderr = exit_code_and_stderr(
        ["run", "--data", "mixed.csv", "--target", "label", *SMALL, *args], capsys)
    assert code == 2
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1
    # Options as the command line spells them, never the library's arguments.
    for name in ("batch_size", "n_rounds", "initial_size", "budget", "None"):
        assert name not in stderr


def test_library_errors_reach_the_user_by_their_attributes(tmp_path, monkeypatch,
                                                          capsys):
    # The command line words a library error from the parameter it names, not
    # from its message: rewording the message cannot break it.
    from skactive.cli import _common
    from skactive.exceptions import ParameterError

    def refuse(*args, **kwargs):
        raise ParameterError("n_rounds", 7, "is too many for this pool",
                             "at most 3", message="Reworded: n_rounds=7 is wrong.")

    monkeypatch.setattr(_common, "run_experiment", refuse)
    code, stderr = exit_code_and_stderr(
        ["demo", "--dataset", "iris", "--output", str(tmp_path), *SMALL], capsys)
    assert code == 2
    assert stderr == ("skactive: error: --rounds 7 is too many for this pool: pass "
                      "at most 3.\n")


def test_ctrl_c_says_what_is_saved_and_exits_130(tmp_path, monkeypatch, capsys):
    from skactive.cli import _common

    real = _common.run_experiment

    def interrupted(*args, **kwargs):
        kwargs["samplers"] = dict(list(args[1].items())[:1])
        real(args[0], kwargs.pop("samplers"), *args[2:], **kwargs)  # saves runs
        raise KeyboardInterrupt

    monkeypatch.setattr(_common, "run_experiment", interrupted)
    code, stderr = exit_code_and_stderr(
        ["demo", "--dataset", "iris", "--output", str(tmp_path), "--checkpoint",
         "--strategies", "margin,random", *SMALL], capsys)
    assert code == 130
    assert "interrupted: 2 of 4 runs are saved in" in stderr
    assert "run the same command again to resume" in stderr
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1


def _never(*args, **kwargs):
    raise AssertionError("the experiment ran before the output was checked")


@pytest.mark.parametrize("command, runner", [
    (["demo", "--dataset", "iris"], "skactive.cli._common.run_experiment"),
    (["benchmark", "--datasets", "iris"], "skactive.cli._benchmark.run_benchmark"),
])
@pytest.mark.parametrize("output, message", [
    ("a-file", "--output a-file is a file: pass a folder (created if missing)"),
    ("a-file/sub", "cannot write to --output a-file/sub: "),
    ("folder", "cannot write folder/{name}: it is a folder"),
])
def test_output_is_checked_before_the_work(tmp_path, monkeypatch, capsys, command,
                                          runner, output, message):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(runner, _never)
    (tmp_path / "a-file").write_text("")
    name = "curves.csv" if command[0] == "demo" else "report.html"
    (tmp_path / "folder" / name).mkdir(parents=True)
    code, stderr = exit_code_and_stderr([*command, "--output", output, *SMALL],
                                        capsys)
    assert code == 2
    assert message.format(name=name) in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_ctrl_c_in_a_benchmark_counts_the_runs_of_every_data_set(
        tmp_path, monkeypatch, capsys):
    from skactive.cli import _benchmark

    real = _benchmark.run_benchmark

    def interrupted(estimator, samplers, datasets, **kwargs):
        real(estimator, samplers, {"iris": datasets["iris"]}, **kwargs)  # saves
        raise KeyboardInterrupt

    monkeypatch.setattr(_benchmark, "run_benchmark", interrupted)
    code, stderr = exit_code_and_stderr(
        ["benchmark", "--datasets", "iris,wine", "--strategies", "margin,random",
         "--output", str(tmp_path), "--checkpoint", *SMALL], capsys)
    assert code == 130
    # iris's 2 strategies x 2 repeats, of 2 data sets x 2 strategies x 2 repeats
    assert f"interrupted: 4 of 8 runs are saved in {tmp_path / 'checkpoint'}" in stderr


def test_version(capsys):
    from skactive import __version__

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"skactive {__version__}"


def test_help_never_cuts_a_strategy_name(monkeypatch, capsys):
    from skactive.cli._strategies import STRATEGIES

    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    words = set(capsys.readouterr().out.replace(",", " ").split())
    assert set(STRATEGIES) <= words


# Regression


def test_demo_on_diabetes_runs_the_regression_strategies(tmp_path, capsys):
    assert main(["demo", "--dataset", "diabetes", "--output", str(tmp_path),
                 *SMALL]) == 0
    out, err = capsys.readouterr()
    assert "regression" in out and "test R²" in out
    for name in ("igs", "gsx", "gsy", "random"):
        assert name in out
    assert "skipped std: it needs a predictive standard deviation" in err


def test_run_detects_a_regression_target_and_task_overrides(tmp_path, capsys):
    pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    X = rng.normal(size=(90, 3))
    y = X @ [1.5, -2.0, 0.5] + rng.normal(scale=0.3, size=90)
    data = tmp_path / "reg.csv"
    data.write_text("a,b,c,target\n" + "\n".join(
        f"{a:.4f},{b:.4f},{c:.4f},{t:.4f}" for (a, b, c), t in zip(X, y)) + "\n")
    assert main(["run", "--data", str(data), "--target", "target", "--estimator",
                 "forest", "--output", str(tmp_path / "out"), *SMALL]) == 0
    out = capsys.readouterr().out
    rounded = [float(line.split(",")[3]) for line in
               data.read_text().splitlines()[1:]]
    assert f"3 features, regression of a numeric target (mean {np.mean(rounded):.4g})" \
        in out
    # forest has a predictive std: std runs beside the default greedy strategies.
    summary = (tmp_path / "out" / "summary.csv").read_text().splitlines()
    assert [row.split(",")[0] for row in summary[1:]] == ["std", "gsx", "gsy",
                                                          "igs", "random"]
    code, stderr = exit_code_and_stderr(
        ["run", "--data", str(data), "--target", "target", "--task",
         "classification", "--output", str(tmp_path / "out"), *SMALL], capsys)
    assert code == 2  # 90 distinct float labels: classes of one sample


@pytest.mark.parametrize("args, message", [
    (["--dataset", "diabetes", "--estimator", "svc"],
     "--estimator svc is for classification; for regression choose forest, ridge, "
     "gp"),
    (["--dataset", "diabetes", "--strategies", "margin,igs"],
     "margin is for classification; for regression choose std, "
     "prediction_variance, gsx, gsy, igs, random"),
    (["--dataset", "iris", "--strategies", "igs"], "igs is for regression"),
])
def test_task_mismatches_are_one_line(args, message, tmp_path, capsys):
    code, stderr = exit_code_and_stderr(
        ["demo", *args, "--output", str(tmp_path), *SMALL], capsys)
    assert code == 2
    assert message in stderr


# skactive benchmark


def test_benchmark_writes_a_report_and_resumes(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    args = ["benchmark", "--datasets", "iris,wine", "--strategies",
            "margin,coreset,random", "--output", str(tmp_path), "--checkpoint",
            *SMALL]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Friedman chi²" in out and "mean rank" in out
    first = (tmp_path / "aubc.csv").read_text()
    assert (tmp_path / "report.html").stat().st_size > 10_000
    assert main(args) == 0  # resumes from the checkpoints: same tables
    assert (tmp_path / "aubc.csv").read_text() == first


def test_benchmark_unknown_data_set_is_one_line(tmp_path, capsys):
    code, stderr = exit_code_and_stderr(
        ["benchmark", "--datasets", "iris,mnist", "--output", str(tmp_path)], capsys)
    assert code == 2
    assert stderr == ("skactive: error: --datasets mnist is not one of the bundled "
                      "data sets (iris, wine, breast_cancer, digits): pass others "
                      "with --data-dir FOLDER (CSV files) or --openml ID,... (OpenML "
                      "data ids).\n")


@pytest.mark.parametrize("args, message", [
    # The choices are quoted or not depending on the Python version.
    (["--estimator", "ridge"], "argument --estimator: invalid choice: 'ridge'"),
    (["--strategies", "igs,random"], "igs is for regression; for classification "
     "choose entropy"),
    (["--reference", "igs"], "argument --reference: invalid choice: 'igs'"),
    (["--reference", "foo"], "argument --reference: invalid choice: 'foo'"),
    (["--openml", "61,iris"], "--openml takes OpenML data ids (numbers), got iris"),
])
def test_benchmark_refuses_regression_options(args, message, tmp_path, capsys):
    code, stderr = exit_code_and_stderr(
        ["benchmark", "--datasets", "iris", *args, "--output", str(tmp_path),
         *SMALL], capsys)
    assert code == 2
    assert message in stderr


def test_benchmark_help_offers_only_classification(monkeypatch, capsys):
    from skactive.cli._strategies import STRATEGIES

    words = set(help_text(["benchmark"], monkeypatch, capsys).replace(
        ",", " ").split())
    assert {"igs", "gsx", "gsy", "std", "prediction_variance", "ridge",
            "gp"}.isdisjoint(words)
    assert {"margin", "coreset", "random", "logistic", "svc", "forest"} <= words
    assert {n for n, s in STRATEGIES.items() if "classification" in s.tasks} <= words


def test_gp_runs_on_a_csv_with_a_categorical_column(tmp_path, capsys):
    # The one-hot (or TF-IDF) columns make the preprocessor's output sparse,
    # which GaussianProcessRegressor refused with a traceback.
    pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 2))
    plan = rng.choice([f"plan{k}" for k in range(20)], size=60)  # mostly zeros
    y = X @ [1.5, -2.0] + (plan == "plan1") + rng.normal(scale=0.3, size=60)
    data = tmp_path / "reg.csv"
    data.write_text("a,b,plan,target\n" + "\n".join(
        f"{a:.4f},{b:.4f},{p},{t:.4f}" for (a, b), p, t in zip(X, plan, y)) + "\n")
    assert main(["run", "--data", str(data), "--target", "target", "--estimator",
                 "gp", "--strategies", "std,random", "--output",
                 str(tmp_path / "out"), *SMALL]) == 0
    summary = (tmp_path / "out" / "summary.csv").read_text().splitlines()
    assert [row.split(",")[0] for row in summary[1:]] == ["std", "random"]
