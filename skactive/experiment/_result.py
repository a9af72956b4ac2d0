"""The result of an active-learning experiment: a tidy table of scores."""

# SPDX-License-Identifier: BSD-3-Clause

import csv

import numpy as np

from ..utils._sklearn_compat import validate_params

COLUMNS = ("strategy", "repeat", "round", "n_labeled", "score")
# A stream experiment's table: the x axis is the samples seen, the score the
# cumulative prequential accuracy; n_labeled counts the labels spent so far and
# window_score is the accuracy over the last samples.
STREAM_COLUMNS = ("strategy", "repeat", "round", "n_seen", "score", "n_labeled",
                  "window_score")
_DTYPES = {"strategy": object, "score": np.float64, "window_score": np.float64}


@validate_params({"n_labeled": ["array-like"], "scores": ["array-like"]},
                 prefer_skip_nested_validation=True)
def aubc(n_labeled, scores):
    """Area under the budget curve, normalised by the budget it spans.

    The trapezoidal area under ``scores`` as a function of ``n_labeled``,
    divided by ``n_labeled[-1] - n_labeled[0]``: the mean score over the
    labeling budget, in the units of the score (in [0, 1] for accuracy).
    One summary of a whole learning curve: a strategy that reaches a good
    score with fewer labels has a larger AUBC.

    Parameters
    ----------
    n_labeled : array-like of shape (n_rounds,)
        Number of labeled samples at each round, increasing.

    scores : array-like of shape (n_rounds,)
        Test score at each round.

    Returns
    -------
    area : float
        The normalised area; the score itself for a single round.

    Examples
    --------
    >>> from skactive.experiment import aubc
    >>> aubc([10, 20, 30], [0.5, 0.7, 0.8])
    0.675
    """
    n_labeled = np.asarray(n_labeled, dtype=float)
    scores = np.asarray(scores, dtype=float)
    if n_labeled.shape != scores.shape or n_labeled.ndim != 1 or n_labeled.size == 0:
        raise ValueError(
            "n_labeled and scores must be non-empty 1-D arrays of one length, got "
            f"shapes {n_labeled.shape} and {scores.shape}."
        )
    if np.any(np.diff(n_labeled) <= 0):
        raise ValueError("n_labeled must be strictly increasing.")
    if n_labeled.size == 1:
        return float(scores[0])
    widths = np.diff(n_labeled)
    area = np.sum(widths * (scores[1:] + scores[:-1]) / 2)
    return float(area / (n_labeled[-1] - n_labeled[0]))


class ExperimentResult:
    """Learning curves of an experiment, one row per (strategy, repeat, round).

    Returned by :func:`~skactive.experiment.run_experiment`.

    Parameters
    ----------
    rows : list of tuple
        ``(strategy, repeat, round, n_labeled, score)`` tuples.

    strategies : list of str
        Strategy names, in the order they were given.

    stops : list of tuple, default=()
        ``(strategy, repeat, criterion, round, n_labeled)`` for each stopping
        criterion of each run: the first round at which it said stop, -1 for
        both if it never did.

    criteria : list of str, default=()
        Stopping-criterion names, in the order they were given.

    stream : bool, default=False
        Rows of a stream experiment (:func:`run_stream_experiment`):
        ``(strategy, repeat, round, n_seen, score, n_labeled, window_score)``,
        the x axis being the samples seen.

    Attributes
    ----------
    table : dict of ndarray
        The tidy table: one array per column (strategy, repeat, round,
        n_labeled, score; for a stream strategy, repeat, round, n_seen,
        score, n_labeled, window_score), rows sorted by strategy (in the
        given order), repeat and round.

    columns : tuple of str
        The names of the table's columns, in order.

    x : str
        The column of the curves' x axis: ``"n_labeled"``, or ``"n_seen"``
        for a stream.

    strategies : list of str
        Strategy names, in the order they were given.

    Examples
    --------
    >>> from skactive.experiment import ExperimentResult
    >>> result = ExperimentResult(
    ...     [("margin", 0, 0, 10, 0.5), ("margin", 0, 1, 20, 0.7)], ["margin"])
    >>> result.aubc()
    {'margin': (0.6, 0.0)}
    """

    def __init__(self, rows, strategies, *, stops=(), criteria=(), stream=False):
        self.stream = stream
        self.columns = STREAM_COLUMNS if stream else COLUMNS
        self.x = "n_seen" if stream else "n_labeled"
        self.strategies = list(strategies)
        self.criteria = list(criteria)
        self.stops = sorted(stops, key=lambda s: (self.strategies.index(s[0]), s[1],
                                                  self.criteria.index(s[2])))
        position = {name: i for i, name in enumerate(self.strategies)}
        rows = sorted(rows, key=lambda r: (position[r[0]], r[1], r[2]))
        columns = list(zip(*rows)) if rows else [()] * len(self.columns)
        self.table = {
            name: np.array(values, dtype=_DTYPES.get(name, np.intp))
            for name, values in zip(self.columns, columns)
        }

    def __len__(self):
        return self.table["score"].shape[0]

    def __repr__(self):
        return (f"ExperimentResult({len(self.strategies)} strategies, "
                f"{len(self)} rows)")

    def __eq__(self, other):
        if not isinstance(other, ExperimentResult):
            return NotImplemented
        return (self.strategies == other.strategies and self.stops == other.stops
                and self.columns == other.columns
                and all(np.array_equal(self.table[c], other.table[c])
                        for c in self.columns))

    def rows(self):
        """The table as a list of tuples.

        Returns
        -------
        rows : list of tuple
            ``(strategy, repeat, round, n_labeled, score)`` (the
            :attr:`columns`), in table order.
        """
        return list(zip(*(self.table[c].tolist() for c in self.columns)))

    def curves(self, strategy, column="score"):
        """Learning curves of one strategy.

        Parameters
        ----------
        strategy : str
            A strategy name.

        column : str, default="score"
            The column to return per repeat; for a stream, also
            ``"window_score"`` (accuracy over the last samples) or
            ``"n_labeled"`` (labels spent).

        Returns
        -------
        x : ndarray of shape (n_rounds,)
            The x axis (:attr:`x`): labeled-set size at each round, or
            samples seen for a stream (the same in every repeat).

        scores : ndarray of shape (n_repeats, n_rounds)
            ``column`` of each repeat at each round: the test score, or
            the prequential accuracy for a stream.
        """
        if strategy not in self.strategies:
            raise ValueError(
                f"Unknown strategy {strategy!r}; this result has {self.strategies}."
            )
        if column not in self.columns[3:]:
            raise ValueError(f"Unknown column {column!r}; choose from "
                             f"{list(self.columns[3:])}.")
        mask = self.table["strategy"] == strategy
        repeats = self.table["repeat"][mask]
        n_repeats = np.unique(repeats).size
        scores = self.table[column][mask].reshape(n_repeats, -1)
        x = self.table[self.x][mask].reshape(n_repeats, -1)[0]
        return x, scores

    def aubc(self):
        """Area under the budget curve of each strategy, mean and std over repeats.

        Returns
        -------
        aubc : dict
            ``{strategy: (mean, std)}``; the standard deviation is the sample
            one (``ddof=1``), 0 for a single repeat. See
            :func:`~skactive.experiment.aubc`.
        """
        summary = {}
        for strategy, areas in self.aubc_per_repeat().items():
            std = areas.std(ddof=1) if areas.size > 1 else 0.0
            summary[strategy] = (float(areas.mean()), float(std))
        return summary

    def aubc_per_repeat(self):
        """Area under the budget curve of each strategy in each repeat.

        Returns
        -------
        aubc : dict of str to ndarray of shape (n_repeats,)
            Per strategy, the :func:`~skactive.experiment.aubc` of each
            repeat's curve, in repeat order (paired across strategies: the
            repeats share their splits and initial sets).
        """
        areas = {}
        for strategy in self.strategies:
            n_labeled, scores = self.curves(strategy)
            areas[strategy] = np.array([aubc(n_labeled, curve) for curve in scores])
        return areas

    def final_scores(self):
        """Score after the last round of each strategy, mean and std over repeats.

        Returns
        -------
        final : dict
            ``{strategy: (mean, std)}`` with the sample standard deviation.
        """
        final = {}
        for strategy in self.strategies:
            last = self.curves(strategy)[1][:, -1]
            std = last.std(ddof=1) if last.size > 1 else 0.0
            final[strategy] = (float(last.mean()), float(std))
        return final

    def summary(self):
        """A printable table: strategy, AUBC mean ± std, final score mean ± std.

        Strategies are sorted by decreasing mean AUBC. For a stream: the
        prequential accuracy over the whole stream (the final cumulative
        score), the accuracy over the last window, and the fraction of the
        stream labeled, each mean ± std, by decreasing accuracy.

        Returns
        -------
        table : str
            One line per strategy, under a header line.
        """
        if self.stream:
            return self._stream_summary()
        areas, final = self.aubc(), self.final_scores()
        order = sorted(self.strategies, key=lambda s: -areas[s][0])
        width = max(len("strategy"), *(len(s) for s in order))
        lines = [f"{'strategy':<{width}}  {'AUBC':>15}  {'final score':>15}"]
        for s in order:
            lines.append(
                f"{s:<{width}}  {areas[s][0]:>7.4f} ± {areas[s][1]:.4f}"
                f"  {final[s][0]:>7.4f} ± {final[s][1]:.4f}"
            )
        return "\n".join(lines)

    def _stream_summary(self):
        def last(strategy, column, per_sample=False):
            seen, values = self.curves(strategy, column)
            values = values[:, -1] / (seen[-1] if per_sample else 1)
            std = values.std(ddof=1) if values.size > 1 else 0.0
            return f"{values.mean():>7.4f} ± {std:.4f}"

        final = self.final_scores()
        order = sorted(self.strategies, key=lambda s: -final[s][0])
        width = max(len("strategy"), *(len(s) for s in order))
        lines = [f"{'strategy':<{width}}  {'accuracy':>16}  {'last window':>16}  "
                 f"{'labeled':>16}"]
        for s in order:
            lines.append(f"{s:<{width}}  {last(s, 'score'):>16}  "
                         f"{last(s, 'window_score'):>16}  "
                         f"{last(s, 'n_labeled', per_sample=True):>16}")
        return "\n".join(lines)

    def stopping(self):
        """What stopping at each criterion would have kept and saved.

        For every criterion and strategy, over repeats (a run whose criterion
        never said stop counts as stopping at the full budget):

        Returns
        -------
        table : list of dict
            One dict per (criterion, strategy): ``labels_at_stop`` (mean),
            ``score_at_stop`` (mean), ``score_at_budget`` (mean),
            ``labels_saved`` (fraction of the budget's labels not spent, in
            [0, 1]), ``score_lost`` (budget minus stop, mean) and
            ``stopped`` (how many runs stopped before the budget).
        """
        table = []
        curves = {strategy: self.curves(strategy) for strategy in self.strategies}
        for criterion in self.criteria:
            for strategy in self.strategies:
                n_labeled, scores = curves[strategy]
                rounds = np.array([r for s, _, c, r, _ in self.stops
                                   if s == strategy and c == criterion])
                stopped = rounds >= 0
                rounds = np.where(stopped, rounds, len(n_labeled) - 1)
                at_stop = scores[np.arange(len(rounds)), rounds]
                labels = n_labeled[rounds]
                table.append({
                    "criterion": criterion, "strategy": strategy,
                    "labels_at_stop": float(labels.mean()),
                    "score_at_stop": float(at_stop.mean()),
                    "score_at_budget": float(scores[:, -1].mean()),
                    "labels_saved": float(1 - labels.mean() / n_labeled[-1]),
                    "score_lost": float((scores[:, -1] - at_stop).mean()),
                    "stopped": int(stopped.sum()),
                    "n_repeats": int(len(rounds)),
                })
        return table

    def stopping_summary(self):
        """A printable table of :meth:`stopping`.

        Returns
        -------
        table : str
            One line per criterion and strategy.
        """
        if not self.criteria:
            return "no stopping criterion was evaluated (pass stopping={...})"
        rows = self.stopping()
        width = max(len("criterion"), *(len(r["criterion"]) for r in rows))
        swidth = max(len("strategy"), *(len(r["strategy"]) for r in rows))
        lines = [f"{'criterion':<{width}}  {'strategy':<{swidth}}  {'labels':>7}  "
                 f"{'saved':>6}  {'score':>7}  {'budget':>7}  {'lost':>7}  stopped"]
        for r in rows:
            lines.append(
                f"{r['criterion']:<{width}}  {r['strategy']:<{swidth}}  "
                f"{r['labels_at_stop']:>7.1f}  {r['labels_saved']:>6.1%}  "
                f"{r['score_at_stop']:>7.4f}  {r['score_at_budget']:>7.4f}  "
                f"{r['score_lost']:>7.4f}  {r['stopped']}/{r['n_repeats']}")
        return "\n".join(lines)

    def to_csv(self, path):
        """Write the tidy table as CSV with a header row.

        Parameters
        ----------
        path : str or path-like
            File to write.
        """
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(self.columns)
            writer.writerows(self.rows())

    def to_frame(self):
        """The tidy table as a :class:`pandas.DataFrame` (needs pandas).

        Returns
        -------
        frame : pandas.DataFrame
            The :attr:`columns`: strategy, repeat, round, n_labeled, score
            (for a stream, n_seen, score, n_labeled, window_score).
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError(
                "to_frame needs pandas: pip install pandas (or use to_csv)."
            ) from exc
        return pd.DataFrame({c: self.table[c] for c in self.columns})

    def plot(self, ax=None, **kwargs):
        """Plot the mean learning curve of each strategy with a ± std band.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new pyplot figure when None.

        **kwargs : dict
            Passed to :meth:`BudgetCurveDisplay.from_result`, such as
            ``score_name="accuracy"``.

        Returns
        -------
        display : :class:`~skactive.experiment.BudgetCurveDisplay`
            The display, drawn.
        """
        from ._plot import BudgetCurveDisplay

        return BudgetCurveDisplay.from_result(self, ax=ax, **kwargs)
