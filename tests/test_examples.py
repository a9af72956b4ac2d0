"""Every script in examples/ runs to the end (the docs build runs them too)."""

import ast
import os
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def _examples_checked_by_doc_figures():
    """The examples benchmarks/doc_figures.py reruns (its EXAMPLES list)."""
    tree = ast.parse((ROOT / "benchmarks" / "doc_figures.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "EXAMPLES":
            return {f"{name}.py" for name in ast.literal_eval(node.value)}
    raise AssertionError("benchmarks/doc_figures.py has no EXAMPLES list")


# In CI, tests/test_doc_figures.py runs these to the end and checks the
# numbers the docs quote from them: running them here as well would only
# double the longest part of the suite.
CHECKED_IN_CI = _examples_checked_by_doc_figures()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_example_runs(path, monkeypatch, capsys):
    if os.environ.get("CI") == "true" and path.name in CHECKED_IN_CI:
        pytest.skip("run by tests/test_doc_figures.py in CI")
    if path.name.startswith("plot_"):
        pytest.importorskip("matplotlib")
        monkeypatch.setenv("MPLBACKEND", "Agg")
    runpy.run_path(str(path), run_name="__main__")
    assert capsys.readouterr().out.strip()
    if path.name.startswith("plot_"):
        import matplotlib.pyplot as plt

        assert plt.get_fignums()
        plt.close("all")


def test_the_examples_checked_in_ci_exist():
    assert CHECKED_IN_CI and all((ROOT / "examples" / n).exists()
                                 for n in CHECKED_IN_CI)
