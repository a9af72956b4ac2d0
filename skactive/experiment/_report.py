"""A benchmark as one self-contained HTML file and CSV tables."""

# SPDX-License-Identifier: BSD-3-Clause

import base64
import csv
import html
import io
import math
import re
from numbers import Real

import numpy as np

from ..utils._files import atomic_write
from ..utils._sklearn_compat import validate_params
from ._benchmark import describe_failure
from ._stats import cliques, smallest_friedman_p, smallest_wilcoxon_p


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
    for row, group in enumerate(cliques(mean_ranks, cd)):
        y = -0.45 - 0.3 * row  # below the axis, clear of its line
        ax.hlines(y, mean_ranks[group[0]] - 0.03, mean_ranks[group[-1]] + 0.03,
                  color="black", linewidth=3)
    return ax


def _cd_figsize(n_strategies):
    return 8, 1.2 + 0.32 * n_strategies



# Okabe & Ito's colour-blind-safe palette (yellow left out: too pale on
# white); with a marker and a dash pattern each, curves stay apart in grey.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00",
           "#882255", "#44AA99")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
DASHES = ("-", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 1)))
# Scores bounded to [0, 1]; R² and the neg_* losses are bounded above only.
BOUNDED = re.compile(r"accuracy|f1|precision|recall|roc_auc|jaccard|average_prec")
CSV_FILES = ("aubc.csv", "aubc_repeats.csv", "curves.csv", "win_tie_loss.csv",
             "ranks.csv", "protocol.csv")


def strategy_styles(strategies, reference):
    """One colour, marker and dash pattern per strategy, the same in every
    figure; the reference is black and dashed."""
    others = [s for s in strategies if s != reference]
    styles = {s: {"color": PALETTE[i % len(PALETTE)],
                  "marker": MARKERS[i % len(MARKERS)],
                  "linestyle": DASHES[i % len(DASHES)]}
              for i, s in enumerate(others)}
    styles[reference] = {"color": "black", "marker": "|", "linestyle": "--"}
    return styles


def metric_range(metric):
    """(low, high) of a metric, None where it is unbounded."""
    if BOUNDED.search(metric.lower()):
        return 0.0, 1.0
    if metric in ("R²", "r2") or metric.startswith("explained_variance"):
        return None, 1.0
    if metric.startswith("neg_"):
        return None, 0.0
    return None, None


def best_strategies(row, digits=4):
    """Every strategy whose mean, as printed, equals the best one's."""
    top = max(round(mean, digits) for mean, _ in row.values())
    return {s for s, (mean, _) in row.items() if round(mean, digits) == top}


def _figure(figsize):
    """A Figure outside pyplot: no backend switch, no GUI window, nothing
    left in pyplot's list of figures."""
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained")


def _save(fig, folder, stem):
    """Write stem.svg and stem.pdf; return the SVG as a data URI."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    with atomic_write(folder / f"{stem}.svg", mode="wb") as f:
        f.write(svg)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="pdf", bbox_inches="tight",
                metadata={"CreationDate": None})
    with atomic_write(folder / f"{stem}.pdf", mode="wb") as f:
        f.write(buffer.getvalue())
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def plot_curves_grid(bench, fig):
    """Every data set's mean learning curves (± std, clipped to the
    metric's range) in a grid of axes of ``fig``, one legend below."""
    names = list(bench.results)
    ncols = min(len(names), 2 if len(names) <= 4 else 3)
    nrows = math.ceil(len(names) / ncols)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    styles = strategy_styles(bench.strategies, bench.reference)
    low, high = metric_range(bench.metric)
    for ax, name in zip(axes, names):
        _plot_one(ax, bench.results[name], styles, bench.reference, low, high)
        ax.set_title(name)
        ax.set_ylabel(bench.metric)
        ax.set_xlabel("labeled samples")
    for ax in axes[len(names):]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center",
               ncol=min(len(labels), 5), frameon=False)
    return fig


def _plot_one(ax, result, styles, reference, low, high):
    for strategy in result.strategies:
        x, scores = result.curves(strategy)
        mean = scores.mean(axis=0)
        std = scores.std(axis=0, ddof=1) if len(scores) > 1 else 0 * mean
        ax.plot(x, mean, label=strategy, linewidth=1.4, markersize=4,
                markevery=max(1, len(x) // 8), zorder=3 if strategy == reference
                else 2, **styles[strategy])
        if strategy != reference and len(scores) > 1:
            ax.fill_between(x, np.clip(mean - std, low, high),
                            np.clip(mean + std, low, high), linewidth=0,
                            color=styles[strategy]["color"], alpha=0.12)
    ax.xaxis.get_major_locator().set_params(integer=True)  # label counts
    bottom, top = ax.get_ylim()
    if high is not None and top > high:  # no room above a perfect score
        ax.set_ylim(bottom, high + 0.01 * (high - bottom))
    ax.grid(alpha=0.3)


def _write_csv(path, header, rows):
    with atomic_write(path, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def _write_tables(bench, folder, table, wtl, ranks):
    """The CSV files of CSV_FILES and aubc.tex."""
    strategies = bench.strategies
    _write_csv(folder / "aubc.csv", ["dataset", "strategy", "aubc_mean", "aubc_std"],
               [(d, s, *table[d][s]) for d in table for s in strategies])
    _write_csv(folder / "aubc_repeats.csv", ["dataset", "strategy", "repeat", "aubc"],
               [(d, s, r, a) for d in table
                for s, areas in bench.per_repeat(d).items() if s in strategies
                for r, a in enumerate(areas.tolist())])
    _write_csv(folder / "curves.csv", ["dataset", "strategy", "repeat", "round",
                                       "n_labeled", "score"],
               [(d, *row) for d, result in bench.results.items()
                for row in result.rows()])
    _write_csv(folder / "win_tie_loss.csv",
               ["dataset", "strategy", "outcome", "p_value", "p_holm"],
               [(d, s, o, *wtl["p_values"][d][s])
                for d, row in wtl["outcomes"].items() for s, o in row.items()])
    _write_csv(folder / "ranks.csv", ["strategy", "mean_rank"],
               sorted(ranks["mean_ranks"].items(), key=lambda kv: kv[1]))
    _write_csv(folder / "protocol.csv", ["setting", "value"], bench.protocol)
    with atomic_write(folder / "aubc.tex", encoding="utf-8") as f:
        f.write(latex_table(bench, table, wtl))


def _latex(text):
    """``text`` with LaTeX's special characters escaped."""
    return re.sub(r"([&%$#_{}])", r"\\\1", str(text)).replace("~", r"\~{}")


def latex_table(bench, table, wtl):
    """A booktabs tabular: mean ± std AUBC, the best in bold, + and − for
    significant wins and losses against the reference."""
    strategies = bench.strategies
    marks = {"win": "$^{+}$", "loss": "$^{-}$", "tie": ""}
    lines = [
        "% AUBC, mean $\\pm$ std over repeats; needs \\usepackage{booktabs}.",
        f"% Bold: the best mean on the data set; + / -: significantly better / "
        f"worse than {bench.reference} (Wilcoxon, Holm, alpha "
        f"{wtl.get('alpha', 0.05)}).",
        "\\begin{tabular}{l" + "c" * len(strategies) + "}", "\\toprule",
        " & ".join(["Data set", *map(_latex, strategies)]) + " \\\\", "\\midrule"]
    for d, row in table.items():
        best = best_strategies({s: row[s] for s in strategies})
        cells = []
        for s in strategies:
            mean = f"{row[s][0]:.4f}"
            mean = f"\\textbf{{{mean}}}" if s in best else mean
            mark = marks[wtl["outcomes"][d].get(s, "tie")]
            cells.append(f"{mean} $\\pm$ {row[s][1]:.4f}{mark}")
        lines.append(" & ".join([_latex(d), *cells]) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}", ""]
    return "\n".join(lines)


STYLE = ("body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;"
         "line-height:1.4}table{border-collapse:collapse;margin:1em 0}"
         "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}"
         "td:first-child,th:first-child{text-align:left}.best{font-weight:bold}"
         "img{max-width:100%;display:block;margin:1em 0}"
         ".note{background:#fff4d6;border-left:4px solid #d9a400;padding:.5em 1em}"
         "#protocol-table td,#protocol-table th{text-align:left;vertical-align:top}"
         "#protocol-table td{font-family:monospace;font-size:.85em;"
         "word-break:break-word}")
# Marks the page once every image has decoded, for a browser test.
SCRIPT = ("window.addEventListener('load',()=>{document.body.dataset.images="
          "[...document.images].every(i=>i.complete&&i.naturalWidth>0)})")


def write_report(bench, folder, title, alpha=0.05):
    """Write report.html, the CSV files, aubc.tex and the figures to ``folder``.

    The plots are drawn on Figure objects of their own, never through pyplot:
    the user's backend and open figures are left as they are.
    """
    folder.mkdir(parents=True, exist_ok=True)
    table = bench.aubc_table()
    wtl, ranks = bench.win_tie_loss(alpha), bench.ranks(alpha)
    wtl["alpha"] = alpha
    _write_tables(bench, folder, table, wtl, ranks)
    parts = [f"<h1>{html.escape(title)}</h1>", *_summary(bench),
             *_aubc_section(bench, table, wtl),
             *_win_tie_loss_section(bench, wtl, alpha),
             *_ranks_section(bench, ranks, alpha, folder),
             *_curves_section(bench, folder), *_protocol_section(bench)]
    if bench.failures:
        parts.append("<h2>What could not run</h2><ul>" + "".join(
            f"<li>{html.escape(describe_failure(f))}</li>" for f in bench.failures)
            + "</ul>")
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
            f"{html.escape(title)}</title><style>{STYLE}</style></head><body>"
            f"{''.join(parts)}<script>{SCRIPT}</script></body></html>")
    path = folder / "report.html"
    with atomic_write(path, encoding="utf-8") as f:
        f.write(page)
    return path


def _summary(bench):
    e = html.escape
    protocol = dict(bench.protocol).get("protocol", "not recorded")
    return [f"<p>Protocol: <b>{e(protocol)}</b> (every setting under "
            f"<a href='#protocol'>Protocol</a>). {len(bench.results)} data sets, "
            f"{len(bench.strategies)} strategies, {bench.n_repeats()} repeats; "
            f"reference <b>{e(bench.reference)}</b>; metric "
            f"<b>{e(bench.metric)}</b>. Files beside this page: "
            f"{', '.join(CSV_FILES)}, aubc.tex (LaTeX, booktabs), curves.svg/.pdf"
            " and, when drawn, critical_difference.svg/.pdf.</p>"]


def _aubc_section(bench, table, wtl):
    e, strategies = html.escape, bench.strategies
    marks = {"win": "<sup>+</sup>", "loss": "<sup>−</sup>", "tie": ""}
    parts = ["<h2>AUBC, mean ± std over repeats</h2><p>AUBC: the area under "
             "the learning curve divided by the labels it spans (the mean "
             f"{e(bench.metric)} over the budget). Bold: the best mean on the "
             "data set (all of them when tied to 4 decimals); + / −: "
             f"significantly better / worse than {e(bench.reference)} (next "
             "table).</p><table><tr><th>data set</th>"
             + "".join(f"<th>{e(s)}</th>" for s in strategies) + "</tr>"]
    for d, row in table.items():
        best = best_strategies({s: row[s] for s in strategies})
        cells = "".join(
            f"<td{' class=best' if s in best else ''}>{row[s][0]:.4f} ± "
            f"{row[s][1]:.4f}{marks[wtl['outcomes'][d].get(s, 'tie')]}</td>"
            for s in strategies)
        parts.append(f"<tr><td>{e(d)}</td>{cells}</tr>")
    parts.append("</table>")
    return parts


def _win_tie_loss_section(bench, wtl, alpha):
    e, others = html.escape, list(wtl["totals"])
    parts = [f"<h2>Against {e(bench.reference)}: win / tie / loss</h2>"
             "<p>Two-sided Wilcoxon signed-rank test of the AUBC over the "
             "repeats (paired: same split and initial set), Holm-adjusted over "
             f"the {len(others)} strategies on each data set, alpha {alpha}. "
             "Each cell: outcome, raw p, Holm p.</p>", *_wilcoxon_note(bench,
                                                                     others, alpha),
             "<table><tr><th>data set</th>"
             + "".join(f"<th>{e(s)}</th>" for s in others) + "</tr>"]
    for d, row in wtl["outcomes"].items():
        cells = "".join(
            f"<td>{row[s]} (p = {wtl['p_values'][d][s][0]:.3g}, Holm "
            f"{wtl['p_values'][d][s][1]:.3g})</td>" for s in others)
        parts.append(f"<tr><td>{e(d)}</td>{cells}</tr>")
    parts.append("<tr><td><b>total</b></td>" + "".join(
        "<td><b>{} / {} / {}</b></td>".format(*wtl["totals"][s]) for s in others)
        + "</tr></table>")
    return parts


def _wilcoxon_note(bench, others, alpha):
    """A warning when the repeats are too few for any Wilcoxon test to reach
    alpha after Holm's adjustment."""
    n = bench.n_repeats()
    if not others or n == 0:
        return []
    smallest = smallest_wilcoxon_p(n)
    if len(others) * smallest < alpha:
        return [f"<p>With {n} repeats the smallest attainable two-sided p is "
                f"2 / 2<sup>{n}</sup> = {smallest:.3g}.</p>"]
    holm_text = (f"; Holm's adjustment over {len(others)} strategies "
                 f"multiplies the smallest p by {len(others)}: "
                 f"{min(1.0, len(others) * smallest):.3g}" if len(others) > 1
                 else "")
    return [f"<p class=note><b>Too few repeats for significance:</b> with {n} "
            f"repeats the smallest p-value the exact two-sided Wilcoxon test can "
            f"reach is 2 / 2<sup>{n}</sup> = {smallest:.3g}{holm_text}; not below "
            f"alpha = {alpha}. Every comparison is a tie whatever the scores: "
            f"run more repeats (at least {_repeats_needed(len(others), alpha)})."
            "</p>"]


def _repeats_needed(m, alpha):
    """The fewest repeats whose smallest Holm-adjusted Wilcoxon p is < alpha."""
    n = 1
    while m * smallest_wilcoxon_p(n) >= alpha:
        n += 1
    return n


def _ranks_section(bench, ranks, alpha, folder):
    e = html.escape
    parts = ["<h2>Ranks across data sets</h2><table><tr><th>strategy</th>"
             "<th>mean rank</th></tr>" + "".join(
                 f"<tr><td>{e(s)}</td><td>{r:.2f}</td></tr>" for s, r in
                 sorted(ranks["mean_ranks"].items(), key=lambda kv: kv[1]))
             + "</table>"]
    k, n = len(ranks["mean_ranks"]), len(bench.results)
    test, cd = ranks["friedman"], ranks["critical_difference"]
    if cd is None:
        return [*parts, "<p>One strategy: nothing to rank against.</p>"]
    if test is None:
        return [*parts, f"<p>Friedman's test needs 3 strategies and 2 data sets "
                f"(here {k} and {n}), so no critical-difference diagram is "
                "drawn.</p>"]
    parts.append(f"<p>Friedman's test (scipy.stats.friedmanchisquare, data sets "
                 f"as blocks): chi² = {test[0]:.3f}, p = {test[1]:.4g}.</p>")
    smallest = smallest_friedman_p(k, n)
    if smallest >= alpha:
        parts.append(f"<p class=note><b>Too few data sets for significance:</b> "
                     f"with {n} data sets and {k} strategies the smallest "
                     f"attainable Friedman p is {smallest:.3g} (every data set "
                     f"ranking the strategies alike), not below alpha = {alpha}."
                     "</p>")
    if test[1] >= alpha:
        parts.append(f"<p>Friedman's test does not reject at alpha = {alpha}: the "
                     "differences in mean rank may be chance, so no post-hoc "
                     "Nemenyi test and no critical-difference diagram (Demšar, "
                     "2006).</p>")
        return parts
    parts.append(f"<p>It rejects at alpha = {alpha}. Nemenyi critical difference: "
                 f"{cd:.3f}; a bar joins strategies whose mean ranks differ by "
                 "less (not significantly different).</p>")
    fig = _figure(_cd_figsize(k))
    plot_critical_difference(ranks["mean_ranks"], cd, ax=fig.add_subplot())
    fig.set_layout_engine(None)
    uri = _save(fig, folder, "critical_difference")
    parts.append(f'<img alt="critical-difference diagram" src="{uri}">')
    return parts


def _curves_section(bench, folder):
    if not bench.results:
        return []
    n = len(bench.results)
    ncols = min(n, 2 if n <= 4 else 3)
    fig = _figure((5.2 * ncols, 3.4 * math.ceil(n / ncols) + 0.6))
    plot_curves_grid(bench, fig)
    uri = _save(fig, folder, "curves")
    return ["<h2>Learning curves</h2><p>Mean over repeats; the band is ± one "
            f"standard deviation, clipped to the range of {html.escape(bench.metric)}"
            f"; {html.escape(bench.reference)} is the black dashed line.</p>",
            f'<img alt="learning curves" src="{uri}">']


def _protocol_section(bench):
    e = html.escape
    if not bench.protocol:
        return ["<h2 id='protocol'>Protocol</h2><p>Not recorded: this result "
                "was not made by run_benchmark.</p>"]
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>"
                   for k, v in bench.protocol)
    return ["<h2 id='protocol'>Protocol</h2><p>Every setting of the run (also "
            "in protocol.csv).</p><table id='protocol-table'><tr><th>setting"
            f"</th><th>value</th></tr>{rows}</table>"]
