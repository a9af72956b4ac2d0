"""Benchmarks over data sets: statistics, runner, report."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from sklearn.linear_model import LogisticRegression

from skactive import RandomSampler, UncertaintySampler
from skactive.experiment import (
    BenchmarkResult,
    ExperimentResult,
    friedman,
    holm,
    load_datasets,
    mean_ranks,
    nemenyi_critical_difference,
    run_benchmark,
    win_tie_loss,
)

# Demšar (2006), Table 5(a): q_0.05 of the Nemenyi test for k = 2..10.
DEMSAR_Q05 = [1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164]


@pytest.mark.parametrize("k, q", list(zip(range(2, 11), DEMSAR_Q05)))
def test_nemenyi_cd_matches_demsar_table(k, q):
    n = 14
    assert nemenyi_critical_difference(k, n) == pytest.approx(
        q * np.sqrt(k * (k + 1) / (6 * n)), abs=2e-3)


def test_holm_against_its_definition():
    p = np.array([0.01, 0.04, 0.03, 0.005, np.nan])
    # sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1, running maximum.
    assert_allclose(holm(p)[:4], [0.03, 0.06, 0.06, 0.02])
    assert np.isnan(holm(p)[4])


def test_friedman_and_ranks_against_scipy():
    rng = np.random.RandomState(0)
    scores = rng.rand(6, 4)
    statistic, p = friedman(scores)
    expected = stats.friedmanchisquare(*scores.T)
    assert statistic == pytest.approx(expected.statistic)
    assert p == pytest.approx(expected.pvalue)
    assert_allclose(mean_ranks(scores),
                    np.mean([stats.rankdata(-row) for row in scores], axis=0))
    with pytest.raises(ValueError, match="at least 3 strategies"):
        friedman(scores[:, :2])


def test_win_tie_loss_on_a_constructed_example():
    reference = np.linspace(0.80, 0.85, 10)
    scores = [reference + 0.02, reference - 0.02,
              reference + np.array([1, -1] * 5) * 1e-3, reference]
    outcome, p = win_tie_loss(scores, reference)
    assert outcome.tolist() == ["win", "loss", "tie", "tie"]
    raw = stats.wilcoxon(scores[0], reference).pvalue
    assert p[0] == pytest.approx(min(1, 4 * raw))  # Holm: smallest of 4 tests
    assert p[3] == 1.0


@pytest.fixture(scope="module")
def model():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))


def _samplers(model):
    return {"margin": UncertaintySampler(model),
            "entropy": UncertaintySampler(model, strategy="entropy"),
            "random": RandomSampler()}


SETTINGS = dict(batch_size=5, n_rounds=3, n_repeats=4)


def test_resume_and_n_jobs_give_the_same_tables(model, tmp_path):
    once = run_benchmark(model, _samplers(model), ["iris", "wine"], n_jobs=1,
                         **SETTINGS)
    parallel = run_benchmark(model, _samplers(model), ["iris", "wine"], n_jobs=2,
                             **SETTINGS)
    assert once.aubc_table() == parallel.aubc_table()
    # Interrupt after the first data set, then resume from the checkpoints.
    folder = tmp_path / "checkpoint"
    run_benchmark(model, _samplers(model), ["iris"], checkpoint=folder, **SETTINGS)
    resumed = run_benchmark(model, _samplers(model), ["iris", "wine"],
                            checkpoint=folder, **SETTINGS)
    assert resumed.aubc_table() == once.aubc_table()
    assert resumed.win_tie_loss() == once.win_tie_loss()
    assert resumed.ranks() == once.ranks()


def test_failures_are_reported_and_the_rest_goes_on(model):
    X, y = np.random.RandomState(0).rand(60, 3), np.zeros(60)
    iris = run_benchmark(model, _samplers(model), ["iris"], **SETTINGS)
    datasets = {"one class": (X, y), "iris": _iris()}
    samplers = {**_samplers(model),
                "broken": UncertaintySampler(model, strategy="std")}
    bench = run_benchmark(model, samplers, datasets, **SETTINGS)
    assert list(bench.results) == ["iris"]
    assert bench.aubc_table()["iris"]["margin"] == iris.aubc_table()["iris"]["margin"]
    failed = {(d, s) for d, s, _ in bench.failures}
    assert ("one class", "margin") in failed and ("iris", "broken") in failed
    assert any("single class" in m for _, _, m in bench.failures)
    with pytest.raises(ValueError, match="Unknown data set 'mnist'"):
        run_benchmark(model, _samplers(model), ["mnist"], **SETTINGS)
    with pytest.raises(ValueError, match="reference='random' is not one"):
        run_benchmark(model, {"margin": UncertaintySampler(model)}, ["iris"],
                      **SETTINGS)


def _iris():
    from sklearn.datasets import load_iris

    return load_iris(return_X_y=True)


def test_report_files_and_a_real_browser(model, tmp_path):
    pytest.importorskip("matplotlib")
    bench = run_benchmark(model, _samplers(model), ["iris", "wine"], **SETTINGS)
    page = bench.write_report(tmp_path)
    for name in ("report.html", "aubc.csv", "win_tie_loss.csv", "ranks.csv",
                 "curves.csv", "protocol.csv", "aubc.tex", "curves.svg",
                 "curves.pdf"):
        assert (tmp_path / name).stat().st_size > 0
    text = page.read_text()
    assert "http://" not in text and "https://" not in text  # no network needed
    assert "data:image/png" not in text  # vector graphics only
    # The grid of curves, and the CD diagram only if Friedman rejects.
    drawn = bench.ranks()["friedman"][1] < 0.05
    assert text.count("data:image/svg+xml;base64,") == 1 + drawn
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no Chromium installed: the report's rendering is not checked")
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120).stdout
    assert 'data-images="true"' in dom  # every image decoded in the browser
    assert "Friedman" in dom and "win / tie / loss" in dom


def handmade_benchmark(gains, reference="random"):
    """A benchmark built by hand: on data set ``d``, strategy ``s`` scores the
    reference's curve plus ``gains[d][s][r]`` in repeat ``r`` (so its AUBC is
    the reference's plus that gain)."""
    results = {}
    for dataset, by_strategy in gains.items():
        rows = [(s, r, i, 10 * (i + 1), 0.5 + 0.1 * i + 0.01 * r + gain[r])
                for s, gain in by_strategy.items() for r in range(len(gain))
                for i in range(3)]
        results[dataset] = ExperimentResult(rows, list(by_strategy))
    return BenchmarkResult(results, [], reference)


def test_report_keeps_the_users_matplotlib_backend_and_figures(tmp_path):
    """The report draws on its own Figure objects: the user's backend (svg
    here) and open pyplot figures are the same afterwards."""
    pytest.importorskip("matplotlib")
    script = (
        "import matplotlib\n"
        "matplotlib.use('svg')\n"
        "import matplotlib.pyplot as plt\n"
        "from tests.test_benchmark import handmade_benchmark\n"
        "figure = plt.figure()\n"
        "gains = {'iris': {'random': [0.0] * 4, 'margin': [0.01] * 4}}\n"
        f"handmade_benchmark(gains).write_report({str(tmp_path)!r})\n"
        "print(matplotlib.get_backend(), plt.get_fignums() == [figure.number])\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", script], cwd=root, text=True,
                         capture_output=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(root)}).stdout
    assert out.split() == ["svg", "True"]
    text = (tmp_path / "report.html").read_text()
    # The curves; no CD diagram: Friedman needs 3 strategies.
    assert text.count("data:image/svg+xml;base64,") == 1


def test_the_whole_pool_as_budget(model):
    bench = run_benchmark(model, _samplers(model), ["iris"], batch_size=10,
                          budget="pool", n_repeats=2)
    n_labeled, _ = bench.results["iris"].curves("margin")
    assert n_labeled[-1] == 150 - 38  # the pool after a 25% test split


def _read_csv(path):
    import csv

    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_a_data_set_named_totals_does_not_collide(tmp_path):
    """Per data set outcomes and totals live under their own keys: a data
    set called "totals" keeps its outcomes, in the table and in the report."""
    up = [0.01 * (r + 1) for r in range(8)]  # Wilcoxon p = 2 / 2**8, Holm x2
    down = [-g for g in up]
    mixed = [(-1) ** r * g for r, g in enumerate(up)]  # W+ = 16, W- = 20
    zero = [0.0] * 8
    bench = handmade_benchmark({
        "totals": {"random": zero, "up": up, "down": down},
        "iris": {"random": zero, "up": mixed, "down": down}})
    table = bench.win_tie_loss()
    assert table["outcomes"] == {"totals": {"up": "win", "down": "loss"},
                                 "iris": {"up": "tie", "down": "loss"}}
    assert table["totals"] == {"up": (1, 1, 0), "down": (0, 0, 2)}
    assert table["p_values"]["totals"]["up"] == pytest.approx(
        (2 / 2**8, 2 * 2 / 2**8))
    pytest.importorskip("matplotlib")
    bench.write_report(tmp_path)
    assert [row[:3] for row in _read_csv(tmp_path / "win_tie_loss.csv")] == [
        ["dataset", "strategy", "outcome"], ["totals", "up", "win"],
        ["totals", "down", "loss"], ["iris", "up", "tie"], ["iris", "down", "loss"]]
    text = (tmp_path / "report.html").read_text()
    assert re.search(r"<tr><td>totals</td><td>win \(p = [^<]*</td><td>loss \(p",
                     text)
    assert "<td><b>1 / 1 / 0</b></td><td><b>0 / 0 / 2</b></td>" in text


def test_ranks_of_one_strategy_and_of_no_data_set(tmp_path):
    zero = [0.0] * 3
    bench = handmade_benchmark({"iris": {"random": zero}, "wine": {"random": zero}})
    assert bench.ranks() == {"mean_ranks": {"random": 1.0}, "friedman": None,
                             "critical_difference": None, "cliques": [],
                             "alpha": 0.05}
    assert bench.win_tie_loss() == {"outcomes": {"iris": {}, "wine": {}},
                                    "p_values": {"iris": {}, "wine": {}},
                                    "totals": {}}
    pytest.importorskip("matplotlib")
    bench.write_report(tmp_path)
    assert _read_csv(tmp_path / "ranks.csv") == [["strategy", "mean_rank"],
                                                 ["random", "1.0"]]
    text = (tmp_path / "report.html").read_text()
    assert "critical-difference diagram" not in text
    assert "One strategy: nothing to rank against." in text
    empty = BenchmarkResult({}, [("iris", None, "boom")], "random")
    with pytest.raises(ValueError, match=r"No data set ran, .*failures: iris: boom"):
        empty.ranks()
    with pytest.raises(ValueError, match="'alpha' parameter of BenchmarkResult.ranks"):
        bench.ranks(alpha=2)
    with pytest.raises(ValueError,
                       match="'alpha' parameter of BenchmarkResult.win_tie_loss"):
        bench.win_tie_loss(alpha=0)


@pytest.mark.parametrize("content, problem", [
    (b"", "is empty"),
    (b"\n\n", "is empty"),
    (b"a,b,label\n", "has a header row but no data"),
    (b"a,b,label\n1,2,x\n3,y\n", "line 3 has 2 fields, the header 3"),
    (b"a,b,\xe9tiquette\n1,2,x\n", "is not UTF-8 text"),
])
def test_bad_csv_files_are_named(tmp_path, content, problem):
    (tmp_path / "good.csv").write_bytes(b"a,b,label\n1,2,x\n3,4,y\n")
    path = tmp_path / "zbad.csv"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=re.escape(f"{path} {problem}")) as exc:
        load_datasets(data_dir=tmp_path)
    assert "\n" not in str(exc.value)  # the command line prints one line


def test_csv_with_a_byte_order_mark(tmp_path):
    (tmp_path / "excel.csv").write_bytes(b"\xef\xbb\xbfa,b,c\n1,2,5\n3,4,6\n")
    X, y = load_datasets(data_dir=tmp_path, target="a")["excel"]
    assert X.tolist() == [[2.0, 5.0], [4.0, 6.0]] and y.tolist() == ["1", "3"]


def test_the_benchmark_and_the_command_line_read_a_file_alike(tmp_path):
    # One reader: semicolons sniffed, a byte-order mark dropped, the same
    # numbers for load_datasets and for skactive run's read_table.
    pytest.importorskip("pandas")
    from skactive.cli._csv import read_table

    (tmp_path / "semi.csv").write_bytes(
        b"\xef\xbb\xbfa; b; label\n1.5; 2; x\n3; -4e1; y\n")
    X, y = load_datasets(data_dir=tmp_path, target="label")["semi"]
    assert X.tolist() == [[1.5, 2.0], [3.0, -40.0]] and y.tolist() == ["x", "y"]
    frame, target = read_table(tmp_path / "semi.csv", "label")
    assert list(frame.columns) == ["a", "b"]
    assert frame.to_numpy().tolist() == X.tolist()
    assert target.tolist() == y.tolist()
