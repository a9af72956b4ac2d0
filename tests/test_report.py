"""The benchmark report: statistics, protocol record, figures and exports."""

import csv
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from skactive import RandomSampler, UncertaintySampler
from skactive.experiment import (
    cliques,
    holm,
    plot_critical_difference,
    run_benchmark,
    smallest_friedman_p,
    smallest_wilcoxon_p,
)
from skactive.experiment._report import (
    best_strategies,
    metric_range,
    plot_curves_grid,
)
from tests.test_benchmark import handmade_benchmark

ROOT = Path(__file__).resolve().parents[1]
SETS = ("iris", "wine", "breast_cancer", "digits")


def _gains(n_repeats, order):
    """Per data set, each strategy's gain over random in each repeat; on
    data set ``d`` the strategies rank as ``order[d]`` (best first)."""
    rng = np.random.RandomState(0)
    return {d: {s: list(0.02 * (len(rank) - rank.index(s))
                        + 0.003 * rng.rand(n_repeats)) for s in sorted(rank)}
            for d, rank in zip(SETS, order)}


# margin > entropy > random on every data set: Friedman p = 0.018.
SIGNIFICANT = [["margin", "entropy", "random"]] * 4
# Each strategy ranks 1, 2, 3 in turn: equal mean ranks, p = 1.
NOT_SIGNIFICANT = [["margin", "entropy", "random"], ["random", "entropy", "margin"],
                   ["entropy", "random", "margin"], ["margin", "random", "entropy"]]


def _read_csv(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_p_values_equal_scipys():
    bench = handmade_benchmark(_gains(8, NOT_SIGNIFICANT))
    table = bench.win_tie_loss()
    for d in bench.results:
        scores = bench.per_repeat(d)
        raw = [stats.wilcoxon(scores[s], scores["random"]).pvalue
               for s in ("margin", "entropy")]
        assert [table["p_values"][d][s][0] for s in ("margin", "entropy")] == raw
        assert_allclose([table["p_values"][d][s][1] for s in ("margin", "entropy")],
                        holm(raw))
    means = np.array([[row[s][0] for s in bench.strategies]
                      for row in bench.aubc_table().values()])
    expected = stats.friedmanchisquare(*means.T)
    assert bench.ranks()["friedman"] == (expected.statistic, expected.pvalue)


def test_holm_on_a_hand_computed_example():
    # sorted: 0.001 x 5, 0.01 x 4, 0.02 x 3 = 0.06, 0.04 x 2, 0.3 x 1; then
    # the running maximum: 0.005, 0.04, 0.06, 0.08, 0.3.
    assert_allclose(holm([0.04, 0.001, 0.3, 0.02, 0.01]),
                    [0.08, 0.005, 0.3, 0.06, 0.04])


def test_smallest_attainable_p_values():
    for n in (2, 5, 8):  # all differences of one sign
        x = np.arange(1.0, n + 1)
        assert smallest_wilcoxon_p(n) == stats.wilcoxon(x, x - x - 1).pvalue
    same = np.tile(np.arange(3.0), (4, 1))  # every data set ranks alike
    assert smallest_friedman_p(3, 4) == pytest.approx(
        stats.friedmanchisquare(*same.T).pvalue)


def test_cliques_are_the_maximal_groups():
    ranks = {"a": 1.0, "b": 1.5, "c": 2.0, "d": 2.6, "e": 4.0}
    # Within 1.2 of a: a-c; of b: b-d; c-d and the single d and e are inside.
    assert cliques(ranks, 1.2) == [["a", "b", "c"], ["b", "c", "d"]]
    assert cliques(ranks, 10) == [["a", "b", "c", "d", "e"]]
    assert cliques(ranks, 0.4) == []
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    ax = plot_critical_difference(ranks, 1.2, ax=Figure().add_subplot())
    bars = [c for c in ax.collections if max(c.get_linewidths()) == 3]
    assert len(bars) == 2


class _Cells(HTMLParser):
    """The text of every row of the table with id ``table_id``."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.inside, self.rows = table_id, False, []

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def _report(bench, folder):
    pytest.importorskip("matplotlib")
    return bench.write_report(folder).read_text(encoding="utf-8")


def test_the_protocol_block_holds_every_setting(tmp_path):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=300))
    samplers = {"margin": UncertaintySampler(model, strategy="margin"),
                "random": RandomSampler()}
    bench = run_benchmark(model, samplers, ["iris"], batch_size=4,
                          n_rounds=2, n_repeats=2, random_state=3, test_size=0.3)
    parser = _Cells("protocol-table")
    parser.feed(_report(bench, tmp_path))
    from_html = [tuple(row) for row in parser.rows[1:]]
    from_csv = [tuple(row) for row in _read_csv(tmp_path / "protocol.csv")[1:]]
    assert from_html == from_csv == bench.protocol
    record = dict(from_csv)
    assert "C=0.5" in record["estimator"] and "max_iter=300" in record["estimator"]
    assert "strategy='margin'" in record["sampler margin"]
    assert record["repeats"] == "2" and "random_state=3" in record["seeds"]
    assert record["batch size"] == "4" and record["budget"].startswith("2 rounds")
    assert record["test size"].startswith("0.3") and "initial size" in record
    assert record["metric"].startswith("accuracy") and "AUBC" in record
    assert record["data set iris"] == ("150 × 4; classes 0: 50, 1: 50, 2: 50; "
                                       "labels 4 to 12")
    for name in ("skactive", "scikit-learn", "numpy", "Python"):
        assert name in record["versions"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", record["date"])
    assert re.fullmatch(r"\d+\.\d s", record["wall time"])


def test_cd_diagram_only_when_friedman_rejects(tmp_path):
    significant = handmade_benchmark(_gains(8, SIGNIFICANT))
    assert significant.ranks()["friedman"][1] < 0.05
    text = _report(significant, tmp_path / "yes")
    assert 'alt="critical-difference diagram"' in text
    assert (tmp_path / "yes" / "critical_difference.pdf").stat().st_size > 0
    chance = handmade_benchmark(_gains(8, NOT_SIGNIFICANT))
    assert chance.ranks()["friedman"][1] >= 0.05
    text = _report(chance, tmp_path / "no")
    assert 'alt="critical-difference diagram"' not in text
    assert "does not reject at alpha = 0.05" in text
    assert not (tmp_path / "no" / "critical_difference.svg").exists()


def test_a_note_when_repeats_are_too_few(tmp_path):
    text = _report(handmade_benchmark(_gains(2, SIGNIFICANT)), tmp_path / "two")
    assert "Too few repeats for significance" in text
    assert "2 / 2<sup>2</sup> = 0.5" in text
    text = _report(handmade_benchmark(_gains(8, SIGNIFICANT)), tmp_path / "eight")
    assert "Too few repeats" not in text
    assert "2 / 2<sup>8</sup> = 0.00781" in text


def test_latex_table_matches_the_csv_and_compiles(tmp_path):
    gains = _gains(8, SIGNIFICANT)
    gains["wine"]["margin"] = gains["wine"]["entropy"]  # a tie for the best
    _report(handmade_benchmark(gains), tmp_path)
    tex = (tmp_path / "aubc.tex").read_text()
    rows = [line for line in tex.splitlines() if line.endswith("\\\\")][1:]
    csv_rows = _read_csv(tmp_path / "aubc.csv")[1:]
    cells = [c for row in rows for c in row[:-2].split(" & ")[1:]]
    assert len(cells) == len(csv_rows)
    for cell, (_, _, mean, std) in zip(cells, csv_rows):
        numbers = re.findall(r"\d\.\d{4}", cell)
        assert numbers == [f"{float(mean):.4f}", f"{float(std):.4f}"]
    wine = rows[SETS.index("wine")]
    assert wine.count("\\textbf") == 2 and "breast\\_cancer" in tex
    assert "$^{+}$" in rows[0]  # margin beats random in every repeat
    engine = next((e for e in ("pdflatex", "latexmk", "tectonic")
                   if shutil.which(e)), None)
    if engine is None:
        pytest.skip("no TeX engine (pdflatex, latexmk, tectonic) on PATH: the "
                    "table's compilation is not checked")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage{booktabs}\\begin{document}"
        "\\input{aubc.tex}\\end{document}\n")
    command = {"pdflatex": ["pdflatex", "-interaction=nonstopmode", "doc.tex"],
               "latexmk": ["latexmk", "-pdf", "-interaction=nonstopmode", "doc.tex"],
               "tectonic": ["tectonic", "doc.tex"]}[engine]
    subprocess.run(command, cwd=tmp_path, check=True, capture_output=True,
                   timeout=120)
    assert (tmp_path / "doc.pdf").stat().st_size > 0


def test_per_repeat_csv_files(tmp_path):
    bench = handmade_benchmark(_gains(3, SIGNIFICANT))
    _report(bench, tmp_path)
    curves = _read_csv(tmp_path / "curves.csv")
    assert curves[0] == ["dataset", "strategy", "repeat", "round", "n_labeled",
                         "score"]
    assert len(curves) - 1 == sum(len(r) for r in bench.results.values())
    areas = _read_csv(tmp_path / "aubc_repeats.csv")[1:]
    assert [float(a) for d, s, r, a in areas if (d, s) == ("wine", "margin")] == \
        bench.per_repeat("wine")["margin"].tolist()


def test_curves_grid_styles_and_clipped_bands():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    gains = _gains(3, NOT_SIGNIFICANT)
    gains["iris"]["margin"] = [0.5, -0.3, 0.45]  # a band far above 1
    bench = handmade_benchmark(gains)
    bench.metric = "accuracy"
    fig = plot_curves_grid(bench, Figure())
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 4 and {ax.get_ylabel() for ax in axes} == {"accuracy"}
    for ax in axes:
        for band in ax.collections:
            y = np.concatenate([p.vertices[:, 1] for p in band.get_paths()])
            assert y.max() <= 1 and y.min() >= 0
        assert ax.get_ylim()[1] <= 1.01
    styles = [{line.get_label(): (line.get_color(), line.get_marker(),
                                  line.get_linestyle()) for line in ax.lines}
              for ax in axes]
    assert all(style == styles[0] for style in styles)
    assert len(set(styles[0].values())) == 3  # told apart in grey too
    assert metric_range("accuracy") == (0, 1)
    assert metric_range("neg_mean_squared_error") == (None, 0)


def test_tied_bests_are_all_bold():
    row = {"margin": (0.91851, 0.01), "entropy": (0.91849, 0.02),
           "random": (0.9, 0.01)}
    assert best_strategies(row) == {"margin", "entropy"}


def test_lu2023_protocol_runs_the_published_settings():
    """One seed of protocol="lu2023" is benchmarks/_lu2023.py's experiment."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import _lu2023
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    bench = run_benchmark(None, {"random": RandomSampler()}, ["breast_cancer"],
                          protocol="lu2023", n_repeats=1, random_state=4)
    expected, _ = _lu2023.one_experiment("random", RandomSampler(), 4)
    assert bench.per_repeat("breast_cancer")["random"][0] == expected
    n_labeled, _ = bench.results["breast_cancer"].curves("random")
    assert (n_labeled[0], n_labeled[-1]) == (20, 569 - 228)  # 40 % test
    record = dict(bench.protocol)
    assert record["protocol"].startswith("lu2023: Lu, Li & Lin (2023)")
    assert "gamma='auto'" in record["estimator"]
    assert "kernel='rbf'" in record["estimator"]
    with pytest.raises(ValueError, match="fixes the model"):
        run_benchmark(_lu2023.task_model(), {"random": RandomSampler()}, ["iris"],
                      protocol="lu2023")
    with pytest.raises(ValueError, match="fixes batch_size"):
        run_benchmark(None, {"random": RandomSampler()}, ["iris"],
                      protocol="lu2023", batch_size=5)
    with pytest.raises(ValueError, match="Unknown protocol 'lu2024'"):
        run_benchmark(None, {"random": RandomSampler()}, ["iris"],
                      protocol="lu2024")
    with pytest.raises(ValueError, match="estimator=None needs a protocol"):
        run_benchmark(None, {"random": RandomSampler()}, ["iris"])
