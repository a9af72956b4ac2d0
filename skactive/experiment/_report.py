"""A benchmark as one self-contained HTML file and CSV tables."""

# SPDX-License-Identifier: BSD-3-Clause

import base64
import csv
import html
import io
from numbers import Real

import numpy as np

from ..utils._files import atomic_write
from ..utils._sklearn_compat import validate_params
from ._benchmark import describe_failure
from ._plot import FIGSIZE


@validate_params({"mean_ranks": [dict], "cd": [Real], "ax": "no_validation"},
                 prefer_skip_nested_validation=True)
def plot_critical_difference(mean_ranks, cd, ax=None):
    """The critical-difference diagram of Demšar (2006).

    Strategies on an axis of mean ranks (1 = best, on the left); a thick bar
    joins strategies whose mean ranks differ by less than the critical
    difference (no significant difference); the CD is drawn above the axis.

    Parameters
    ----------
    mean_ranks : dict of str to float
        Mean rank of each strategy.

    cd : float
        The Nemenyi critical difference.

    ax : matplotlib Axes, default=None
        Where to draw; a new pyplot figure when None.

    Returns
    -------
    ax : matplotlib Axes
        The axes with the diagram.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from skactive.experiment import plot_critical_difference
    >>> ax = plot_critical_difference({"margin": 1.4, "core-set": 2.1,
    ...                                "random": 2.5}, cd=0.9,
    ...                               ax=Figure().add_subplot())
    >>> [text.get_text() for text in ax.texts][-1]
    'random (2.50)'
    """
    names = sorted(mean_ranks, key=mean_ranks.get)
    ranks = np.array([mean_ranks[n] for n in names])
    k = len(names)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=_cd_figsize(k))
    low, high = 1, int(max(k, np.ceil(ranks.max())))
    ax.set_xlim(low - 0.3, high + 0.3)
    ax.set_ylim(-(k + 1), 2.2)
    ax.axis("off")
    ax.hlines(0, low, high, color="black", linewidth=1)
    for r in range(low, high + 1):
        ax.vlines(r, 0, 0.18, color="black", linewidth=1)
        ax.text(r, 0.35, str(r), ha="center", va="bottom", fontsize=9)
    ax.hlines(1.6, low, low + cd, color="black", linewidth=1.5)
    ax.text(low + cd / 2, 1.75, f"CD = {cd:.2f}", ha="center", va="bottom",
            fontsize=9)
    half = (k + 1) // 2
    for i, (name, rank) in enumerate(zip(names, ranks)):
        left = i < half
        y = -(i + 1) if left else -(k - i)
        x_text = low - 0.25 if left else high + 0.25
        ax.plot([rank, rank, x_text], [0, y, y], color="black", linewidth=0.8)
        ax.text(x_text, y, f"{name} ({rank:.2f})", ha="right" if left else "left",
                va="center", fontsize=9)
    # Cliques: maximal runs of strategies within one CD of each other.
    cliques, start = [], 0
    for end in range(k):
        while ranks[end] - ranks[start] >= cd:
            start += 1
        if end > start and not any(s <= start and end <= e for s, e in cliques):
            cliques.append((start, end))
    for row, (s, e) in enumerate(cliques):
        y = -0.35 - 0.25 * row
        ax.hlines(y, ranks[s] - 0.03, ranks[e] + 0.03, color="black", linewidth=3)
    return ax


def _cd_figsize(n_strategies):
    return 8, 1.2 + 0.32 * n_strategies


def _axes(figsize):
    """Axes of a new Figure outside pyplot: no backend switch, no GUI window,
    nothing left in pyplot's list of figures."""
    from matplotlib.figure import Figure

    return Figure(figsize=figsize).add_subplot()


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _write_csv(path, header, rows):
    with atomic_write(path, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def write_report(bench, folder, title):
    """Write report.html and aubc.csv, win_tie_loss.csv, ranks.csv to ``folder``.

    The plots are drawn on Figure objects of their own, never through pyplot:
    the user's backend and open figures are left as they are.
    """
    folder.mkdir(parents=True, exist_ok=True)
    table, strategies = bench.aubc_table(), bench.strategies
    wtl, ranks = bench.win_tie_loss(), bench.ranks()
    _write_csv(folder / "aubc.csv", ["dataset", "strategy", "aubc_mean", "aubc_std"],
               [(d, s, *table[d][s]) for d in table for s in strategies])
    _write_csv(folder / "win_tie_loss.csv", ["dataset", "strategy", "outcome"],
               [(d, s, o) for d, row in wtl["outcomes"].items()
                for s, o in row.items()])
    _write_csv(folder / "ranks.csv", ["strategy", "mean_rank"],
               sorted(ranks["mean_ranks"].items(), key=lambda kv: kv[1]))
    parts = [f"<h1>{html.escape(title)}</h1>", *_aubc_section(bench, table),
             *_win_tie_loss_section(bench, wtl), *_ranks_section(ranks),
             *_curves_section(bench)]
    if bench.failures:
        parts.append("<h2>What could not run</h2><ul>" + "".join(
            f"<li>{html.escape(describe_failure(f))}</li>" for f in bench.failures)
            + "</ul>")
    style = ("body{font-family:sans-serif;max-width:70em;margin:2em auto;"
             "padding:0 1em}table{border-collapse:collapse;margin:1em 0}"
             "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}"
             "td:first-child,th:first-child{text-align:left}.best{font-weight:bold}"
             "img{max-width:100%;display:block;margin:1em 0}")
    # Marks the page once every image has decoded, for a browser test.
    script = ("window.addEventListener('load',()=>{document.body.dataset.images="
              "[...document.images].every(i=>i.complete&&i.naturalWidth>0)})")
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
            f"{html.escape(title)}</title><style>{style}</style></head><body>"
            f"{''.join(parts)}<script>{script}</script></body></html>")
    path = folder / "report.html"
    with atomic_write(path, encoding="utf-8") as f:
        f.write(page)
    return path


def _aubc_section(bench, table):
    e, strategies = html.escape, bench.strategies
    parts = [f"<p>{len(table)} data sets, {len(strategies)} strategies; reference "
             f"<b>{e(bench.reference)}</b>. AUBC: the mean test score over the "
             "labeling budget. Bold: the best mean on each data set.</p>",
             "<h2>AUBC, mean ± std over repeats</h2><table><tr><th>data set</th>"
             + "".join(f"<th>{e(s)}</th>" for s in strategies) + "</tr>"]
    for d, row in table.items():
        best = max(strategies, key=lambda s: row[s][0])
        cells = "".join(
            f"<td{' class=best' if s == best else ''}>{row[s][0]:.4f} ± "
            f"{row[s][1]:.4f}</td>" for s in strategies)
        parts.append(f"<tr><td>{e(d)}</td>{cells}</tr>")
    parts.append("</table>")
    return parts


def _win_tie_loss_section(bench, wtl):
    e, others = html.escape, list(wtl["totals"])
    parts = [f"<h2>Against {e(bench.reference)}: win / tie / loss</h2>"
             "<p>Wilcoxon signed-rank test over repeats, Holm-adjusted over "
             "strategies, alpha 0.05.</p><table><tr><th>data set</th>"
             + "".join(f"<th>{e(s)}</th>" for s in others) + "</tr>"]
    for d, row in wtl["outcomes"].items():
        parts.append(f"<tr><td>{e(d)}</td>"
                     + "".join(f"<td>{row[s]}</td>" for s in others) + "</tr>")
    parts.append("<tr><td><b>total</b></td>" + "".join(
        "<td><b>{} / {} / {}</b></td>".format(*wtl["totals"][s]) for s in others)
        + "</tr></table>")
    return parts


def _ranks_section(ranks):
    test, cd = ranks["friedman"], ranks["critical_difference"]
    friedman_text = ("Friedman's test needs 3 strategies and 2 data sets."
                     if test is None else
                     f"Friedman's test: chi² = {test[0]:.3f}, p = {test[1]:.4g}.")
    cd_text = ("One strategy: nothing to rank against." if cd is None else
               f"Nemenyi critical difference (alpha 0.05): {cd:.3f}.")
    parts = ["<h2>Ranks across data sets</h2><table><tr><th>strategy</th>"
             "<th>mean rank</th></tr>" + "".join(
                 f"<tr><td>{html.escape(s)}</td><td>{r:.2f}</td></tr>" for s, r in
                 sorted(ranks["mean_ranks"].items(), key=lambda kv: kv[1]))
             + f"</table><p>{friedman_text} {cd_text}</p>"]
    if cd is not None:
        ax = plot_critical_difference(ranks["mean_ranks"], cd,
                                      ax=_axes(_cd_figsize(len(ranks["mean_ranks"]))))
        parts.append(f'<img alt="critical-difference diagram" '
                     f'src="data:image/png;base64,{_png(ax.figure)}">')
    return parts


def _curves_section(bench):
    import matplotlib

    parts = ["<h2>Learning curves</h2>"]
    # One colour per strategy in every data set's plot (the plots order the
    # strategies by AUBC, which differs between data sets).
    palette = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    others = [s for s in bench.strategies if s != bench.reference]
    colours = {s: palette[i % len(palette)] for i, s in enumerate(others)}
    for d, result in bench.results.items():
        display = result.plot(ax=_axes(FIGSIZE), reference=bench.reference)
        for strategy, colour in colours.items():
            if strategy in display.lines_:
                display.lines_[strategy].set_color(colour)
                if display.bands_[strategy] is not None:
                    display.bands_[strategy].set_color(colour)
        display.ax_.legend(*display.ax_.get_legend_handles_labels(),
                           fontsize="small", loc="center left",
                           bbox_to_anchor=(1.01, 0.5))
        display.ax_.set_title(d)
        parts.append(f'<img alt="learning curves of {html.escape(d)}" '
                     f'src="data:image/png;base64,{_png(display.figure_)}">')
    return parts
