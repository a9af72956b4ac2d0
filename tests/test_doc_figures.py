"""Measured numbers in the README, the user guide and the gallery's prose come
from benchmarks/doc_figures.py, never from a hand that typed them once."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIGURES = json.loads((ROOT / "doc" / "figures" / "figures.json").read_text())
DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+(?!\w|\.\d)")
# A README paragraph or a guide section that names a benchmark script quotes
# that script's printout (timings, which no two machines share).
BENCH_SCRIPT = re.compile(r"benchmarks/bench_\w+\.py|bench_\w+\.py")

# Decimals in the guide's prose that are not measurements: parameters,
# thresholds, versions and facts of arithmetic.
NOT_MEASURED = {
    ("getting_started.rst", "1.6"): "the scikit-learn version",
    ("getting_started.rst", "3.10"): "the Python version",
    ("calibration.rst", "0.999"): "an illustrative overconfident probability",
    ("benchmarking.rst", "0.002"): "2 / 2**10, the smallest two-sided Wilcoxon p",
    ("labeling.rst", "0.99"): "StabilizingPredictions' default threshold",
    ("labeling.rst", "0.1"): "the threshold the gallery passes",
    ("labeling.rst", "0.5"): "the threshold the gallery passes",
    ("uncertainty.rst", "0.4"): "a probability of the doctest's input",
    ("labeling.rst", "0.995"): "a threshold to pass, not a result",
    ("labeling.rst", "0.999"): "a threshold to pass, not a result",
    ("error_reduction.rst", "2306.08954"): "Lu, Li & Lin's arXiv number",
    ("lu2023.rst", "0.1"): "Lu et al.'s settings (HintSVM's gamma, ALBL's delta...)",
    ("lu2023.rst", "1.9"): "the scikit-learn version that deprecates probability=True",
}


def paragraphs(text):
    """Blank-line separated paragraphs of a README, code fences left out."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def sections(text):
    """An rst page cut at its section titles."""
    return re.split(r"\n[^\n]+\n[=\-~^]{3,}\n", text)


def rst_prose(text):
    """The paragraphs of an rst page without literal blocks, directives'
    bodies, inline literals, math and substitution references."""
    kept, skip_indent = [], None
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        if skip_indent is not None:
            if not line.strip() or indent > skip_indent:
                continue
            skip_indent = None
        stripped = line.strip()
        if stripped.endswith("::") or stripped.startswith(".. "):
            skip_indent = indent
            if stripped.startswith(".. ") and "list-table" in stripped:
                skip_indent = None  # a table's cells are prose
            kept.append(line.split("::")[0] if stripped.endswith("::") else "")
            continue
        if stripped.startswith((">>>", "...")):
            continue
        kept.append(line)
    prose = "\n".join(kept)
    prose = re.sub(r"``.*?``|:math:`.*?`|\|[\w-]+\|", " ", prose, flags=re.S)
    return paragraphs(prose)


def test_rst_prose_helper_drops_code_and_keeps_prose():
    page = ("A 0.5 here.\n\n::\n\n    x = 0.25\n\n.. code-block:: python\n\n"
            "   y = 0.75\n\nThen ``0.125`` and |demo-margin-aubc| and 2.5.\n")
    found = [DECIMAL.findall(p) for p in rst_prose(page)]
    assert sum(found, []) == ["0.5", "2.5"]


def test_readme_quotes_only_generated_figures():
    values = set(FIGURES.values())
    wrong = []
    for paragraph in paragraphs((ROOT / "README.md").read_text()):
        if BENCH_SCRIPT.search(paragraph):
            continue
        prose = re.sub(r"`[^`\n]*`", " ", paragraph)  # not `budget=0.1`
        wrong += [n for n in DECIMAL.findall(prose) if n not in values]
    assert not wrong, (
        f"README quotes {wrong}, which benchmarks/doc_figures.py does not "
        "generate: copy the value from doc/figures/figures.json")


# sg_execution_times.rst is sphinx-gallery's timing table, written by a build
RST_PAGES = [page for page in sorted((ROOT / "doc").glob("*.rst"))
             if page.name != "sg_execution_times.rst"] + sorted(
    (ROOT / "doc" / "user_guide").glob("*.rst"))


@pytest.mark.parametrize("page", RST_PAGES, ids=lambda p: p.name)
def test_guide_types_no_measured_number(page):
    wrong = []
    for section in sections(page.read_text()):
        if BENCH_SCRIPT.search(section):
            continue
        wrong += [n for paragraph in rst_prose(section)
                  for n in DECIMAL.findall(paragraph)
                  if (page.name, n) not in NOT_MEASURED]
    assert not wrong, (
        f"{page.name} types {wrong} by hand: use a substitution |name| from "
        "doc/figures/figures.json (benchmarks/doc_figures.py makes them)")


@pytest.mark.parametrize("page", RST_PAGES, ids=lambda p: p.name)
def test_guide_substitutions_exist(page):
    text = re.sub(r"``.*?``", " ", page.read_text(), flags=re.S)
    used = set(re.findall(r"\|([a-z0-9][\w-]*)\|", text))
    assert used <= set(FIGURES), sorted(used - set(FIGURES))


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.py")),
                         ids=lambda p: p.name)
def test_gallery_prose_types_no_measured_number(example):
    """The text cells say what the printed output shows, not its numbers:
    a decimal in a comment must be a parameter that the code itself uses."""
    lines = example.read_text().splitlines()
    code = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    comments = " ".join(line.split("#", 1)[1] for line in lines
                        if line.lstrip().startswith("#"))
    allowed = set(DECIMAL.findall(code)) | {"0.05"}  # 0.05: the usual alpha
    wrong = [n for n in DECIMAL.findall(comments) if n not in allowed]
    assert not wrong, f"{example.name} comments quote {wrong}"


def test_drift_allows_one_unit_in_the_last_place():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from doc_figures import drifted
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    old = {"a": "0.8946", "b": "1/3/0", "c": "63.133", "d": "6.5"}
    assert drifted(old, {"a": "0.8947", "b": "1/3/0", "c": "63.132", "d": "6.5"}) == []
    new = {"a": "0.8949", "b": "0/4/0", "c": "63.13", "e": "1.0"}
    assert drifted(old, new) == ["a", "b", "c", "d", "e"]


@pytest.mark.skipif(os.environ.get("CI") != "true",
                    reason="reruns the demo and five examples (minutes): CI only")
def test_figures_match_their_sources():
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "doc_figures.py"), "--check"],
        capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr[-2000:]


def _summary(script, args, tmp_path):
    """The CSV a benchmark script writes with --no-run from the results kept
    in the repository (no experiment is run)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        main = __import__(script).main
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    path = tmp_path / f"{script}.csv"
    main(["--no-run", *args, "--summary", str(path)])
    return path.read_text(encoding="utf-8")


def test_lu2023_tables_are_the_kept_results(tmp_path):
    # The guide's two tables of Lu et al.'s protocol are what the scripts
    # make of benchmarks/results: rewrite them with the results they show.
    guide, results = ROOT / "doc" / "user_guide", ROOT / "benchmarks" / "results"
    wdbc = guide / "lu2023_wdbc.csv"
    names = [line.split(",", 1)[0] for line in wdbc.read_text().splitlines()[1:]]
    assert _summary("bench_lu2023", ["--results", str(results / "lu2023_wdbc.jsonl"),
                                     "--strategies", ",".join(names)],
                    tmp_path) == wdbc.read_text(encoding="utf-8")
    bundled = guide / "lu2023_bundled.csv"
    assert _summary("bench_bundled", ["--state", str(results / "bundled")],
                    tmp_path) == bundled.read_text(encoding="utf-8")
