"""Learning curves of an experiment as a figure."""

# SPDX-License-Identifier: BSD-3-Clause


class BudgetCurveDisplay:
    """Mean test score against the number of labels, one curve per strategy.

    Each curve is the mean over repeats with a band of ± one standard
    deviation. Create it with :meth:`from_result` (or
    :meth:`ExperimentResult.plot`); matplotlib is needed (the ``plot``
    extra).

    Parameters
    ----------
    n_labeled : dict of ndarray
        Labeled-set sizes of each strategy's rounds.

    mean, std : dict of ndarray
        Mean and standard deviation over repeats of each strategy's scores.

    aubc : dict of float, default=None
        Mean AUBC of each strategy, shown in the legend.

    score_name : str, default="score"
        Label of the y axis.

    Attributes
    ----------
    lines_ : dict of matplotlib Line2D
        The mean curve of each strategy.

    bands_ : dict of matplotlib PolyCollection
        The ± std band of each strategy.

    ax_ : matplotlib Axes
        Axes with the curves.

    figure_ : matplotlib Figure
        Figure containing the curves.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skactive.experiment import BudgetCurveDisplay, ExperimentResult
    >>> result = ExperimentResult(
    ...     [("margin", r, i, 10 * (i + 1), 0.5 + 0.1 * i + 0.01 * r)
    ...      for r in range(3) for i in range(4)], ["margin"])
    >>> display = BudgetCurveDisplay.from_result(result)
    >>> sorted(display.lines_)
    ['margin']
    """

    def __init__(self, n_labeled, mean, std, *, aubc=None, score_name="score"):
        self.n_labeled = n_labeled
        self.mean = mean
        self.std = std
        self.aubc = aubc
        self.score_name = score_name

    @classmethod
    def from_result(cls, result, *, ax=None, score_name="score"):
        """Build the display from an :class:`ExperimentResult` and plot it.

        Parameters
        ----------
        result : ExperimentResult
            The experiment to show.

        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.

        score_name : str, default="score"
            Label of the y axis, such as "accuracy".

        Returns
        -------
        display : BudgetCurveDisplay
        """
        n_labeled, mean, std = {}, {}, {}
        for strategy in result.strategies:
            n_labeled[strategy], scores = result.curves(strategy)
            mean[strategy] = scores.mean(axis=0)
            std[strategy] = (scores.std(axis=0, ddof=1) if len(scores) > 1
                             else 0 * mean[strategy])
        areas = {s: m for s, (m, _) in result.aubc().items()}
        return cls(n_labeled, mean, std, aubc=areas, score_name=score_name).plot(ax=ax)

    def plot(self, ax=None):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.

        Returns
        -------
        display : BudgetCurveDisplay
            The display, with ``ax_``, ``figure_``, ``lines_`` and ``bands_``.
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError as exc:
            raise ImportError(
                "Plotting needs matplotlib: pip install 'skactive[plot]'."
            ) from exc
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.5))
        self.lines_, self.bands_ = {}, {}
        for strategy, x in self.n_labeled.items():
            label = strategy
            if self.aubc is not None:
                label = f"{strategy} (AUBC {self.aubc[strategy]:.3f})"
            (line,) = ax.plot(x, self.mean[strategy], marker="o", markersize=3,
                              label=label)
            self.lines_[strategy] = line
            self.bands_[strategy] = ax.fill_between(
                x, self.mean[strategy] - self.std[strategy],
                self.mean[strategy] + self.std[strategy],
                color=line.get_color(), alpha=0.15, linewidth=0,
            )
        ax.set_xlabel("number of labeled samples")
        ax.set_ylabel(self.score_name)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self
