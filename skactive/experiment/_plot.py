"""Learning curves of an experiment as a figure."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

# Size of a new figure of learning curves, in inches.
FIGSIZE = (8, 4.5)


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

    stops : dict, default=None
        ``{(strategy, criterion): mean labels at the stop}``; each is marked
        on the strategy's curve.

    x_label : str, default="number of labeled samples"
        Label of the x axis ("samples seen" for a stream).

    Attributes
    ----------
    lines_ : dict of matplotlib Line2D
        The mean curve of each strategy.

    bands_ : dict of matplotlib artists
        The ± std band of each strategy (a ``PolyCollection``, or an
        ``ErrorbarContainer`` with ``std_display_style="errorbar"``; None for
        the reference and when no deviation is shown).

    ax_ : matplotlib Axes
        Axes with the curves.

    figure_ : matplotlib Figure
        Figure containing the curves.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from skactive.experiment import BudgetCurveDisplay, ExperimentResult
    >>> result = ExperimentResult(
    ...     [("margin", r, i, 10 * (i + 1), 0.5 + 0.1 * i + 0.01 * r)
    ...      for r in range(3) for i in range(4)], ["margin"])
    >>> display = BudgetCurveDisplay.from_result(result, ax=Figure().add_subplot())
    >>> sorted(display.lines_)
    ['margin']
    """

    def __init__(self, n_labeled, mean, std, *, aubc=None, score_name="score",
                 stops=None, x_label="number of labeled samples"):
        self.n_labeled = n_labeled
        self.mean = mean
        self.std = std
        self.aubc = aubc
        self.score_name = score_name
        self.stops = stops
        self.x_label = x_label

    def _draw_curve(self, ax, strategy, is_reference, std_display_style, line_kw,
                    fill_between_kw, errorbar_kw):
        """One strategy's mean curve and its band (none for the reference)."""
        x, mean, std = (self.n_labeled[strategy], self.mean[strategy],
                        self.std[strategy])
        label = strategy
        if self.aubc is not None:
            label = f"{strategy} (AUBC {self.aubc[strategy]:.3f})"
        style = {"marker": "o", "markersize": 3, "linewidth": 1.6, **(line_kw or {})}
        if is_reference:
            style.update(color="black", linestyle="--", marker=None, zorder=3)
        if std_display_style == "errorbar" and not is_reference:
            container = ax.errorbar(x, mean, yerr=std, label=label,
                                    **{"capsize": 2, **style, **(errorbar_kw or {})})
            self.lines_[strategy] = container.lines[0]
            self.bands_[strategy] = container
            return
        (line,) = ax.plot(x, mean, label=label, **style)
        self.lines_[strategy] = line
        self.bands_[strategy] = None
        if std_display_style == "fill_between" and not is_reference:
            self.bands_[strategy] = ax.fill_between(
                x, mean - std, mean + std,
                **{"color": line.get_color(), "alpha": 0.08, "linewidth": 0,
                   **(fill_between_kw or {})},
            )

    def _mark_stops(self, ax):
        """A marker on each strategy's curve where each stopping criterion
        stopped on average; one legend entry per criterion."""
        self.stop_markers_ = {}
        if not self.stops:
            return
        markers = "v^sDPX*<>"
        criteria = list(dict.fromkeys(c for _, c in self.stops))
        for i, criterion in enumerate(criteria):
            for (strategy, c), labels in self.stops.items():
                if c != criterion or strategy not in self.lines_:
                    continue
                x = self.n_labeled[strategy]
                y = np.interp(labels, x, self.mean[strategy])
                (marker,) = ax.plot(
                    [labels], [y], linestyle="none", marker=markers[i % len(markers)],
                    markersize=8, markeredgecolor="black",
                    color=self.lines_[strategy].get_color(), zorder=4,
                    label=f"stop: {criterion}" if strategy == self._first_with_stop(c)
                    else None)
                self.stop_markers_[strategy, criterion] = marker

    def _first_with_stop(self, criterion):
        """The first strategy (in drawing order) that has a stop of ``criterion``."""
        return next(s for s in self.lines_ if (s, criterion) in self.stops)

    @classmethod
    def from_result(cls, result, *, ax=None, score_name="score", reference=None,
                    line_kw=None, fill_between_kw=None, errorbar_kw=None,
                    std_display_style="fill_between", column="score"):
        """Build the display from an :class:`ExperimentResult` and plot it.

        Parameters
        ----------
        result : ExperimentResult
            The experiment to show.

        ax : matplotlib Axes, default=None
            Axes to draw on; a new pyplot figure when None.

        score_name : str, default="score"
            Label of the y axis, such as "accuracy".

        reference : str, default=None
            Strategy drawn as the reference; see :meth:`plot`.

        line_kw, fill_between_kw, errorbar_kw : dict, default=None
            Styles of the curves, bands and error bars; see :meth:`plot`.

        std_display_style : {"fill_between", "errorbar"} or None, \
                default="fill_between"
            How the standard deviation is shown; see :meth:`plot`.

        column : str, default="score"
            The column drawn (see :meth:`ExperimentResult.curves`): for a
            stream, ``"score"`` is the cumulative prequential accuracy,
            ``"window_score"`` the accuracy over the last samples and
            ``"n_labeled"`` the labels spent, against the samples seen.

        Returns
        -------
        display : BudgetCurveDisplay
            The display, drawn.
        """
        n_labeled, mean, std = {}, {}, {}
        for strategy in result.strategies:
            n_labeled[strategy], scores = result.curves(strategy, column)
            mean[strategy] = scores.mean(axis=0)
            std[strategy] = (scores.std(axis=0, ddof=1) if len(scores) > 1
                             else 0 * mean[strategy])
        if result.x == "n_seen":  # a stream: no budget curve, no area
            display = cls(n_labeled, mean, std, score_name=score_name,
                          x_label="samples seen")
        else:
            areas = {s: m for s, (m, _) in result.aubc().items()}
            display = cls(n_labeled, mean, std, aubc=areas, score_name=score_name)
        display.stops = {(r["strategy"], r["criterion"]): r["labels_at_stop"]
                         for r in result.stopping()}
        return display.plot(
            ax=ax, reference=reference, line_kw=line_kw,
            fill_between_kw=fill_between_kw, errorbar_kw=errorbar_kw,
            std_display_style=std_display_style,
        )

    def plot(self, ax=None, *, reference=None, line_kw=None, fill_between_kw=None,
             errorbar_kw=None, std_display_style="fill_between"):
        """Draw the curves.

        Strategies are drawn, and listed in the legend, by decreasing AUBC
        when it is known. The ``reference`` strategy (the random baseline) is
        a dashed black line with no band, so the others read against it.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new pyplot figure when None.

        reference : str, default=None
            Name of the strategy drawn as the reference, such as "random".

        line_kw : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the mean
            curves (the reference's style is applied on top of them).

        fill_between_kw : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.fill_between` for
            the ± std bands.

        errorbar_kw : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.errorbar` when
            ``std_display_style="errorbar"``.

        std_display_style : {"fill_between", "errorbar"} or None, \
                default="fill_between"
            How the standard deviation is shown, as in
            :class:`~sklearn.model_selection.LearningCurveDisplay`; None
            shows the means only.

        Returns
        -------
        display : BudgetCurveDisplay
            The display, with ``ax_``, ``figure_``, ``lines_`` and ``bands_``
            (a band is an ``ErrorbarContainer`` with ``"errorbar"``, None when
            no deviation is shown).
        """
        if std_display_style not in ("fill_between", "errorbar", None):
            raise ValueError(
                "std_display_style must be 'fill_between', 'errorbar' or None, "
                f"got {std_display_style!r}."
            )
        if reference is not None and reference not in self.n_labeled:
            raise ValueError(f"reference={reference!r} is not one of the strategies "
                             f"{list(self.n_labeled)}.")
        try:
            import matplotlib  # noqa: F401
        except ImportError as exc:
            raise ImportError(
                "Plotting needs matplotlib: pip install 'skactive[plot]'."
            ) from exc
        if ax is None:
            # A pyplot figure, for plt.show(); pass ``ax`` (say, from a
            # matplotlib.figure.Figure) to stay out of pyplot's state.
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=FIGSIZE)
        strategies = list(self.n_labeled)
        if self.aubc is not None:
            strategies.sort(key=lambda s: -self.aubc[s])
        self.lines_, self.bands_ = {}, {}
        for strategy in strategies:
            self._draw_curve(ax, strategy, strategy == reference, std_display_style,
                             line_kw, fill_between_kw, errorbar_kw)
        self._mark_stops(ax)
        ax.set_xlabel(self.x_label)
        ax.set_ylabel(self.score_name)
        ax.grid(alpha=0.3)
        if len(strategies) > 4:
            ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5))
        else:
            ax.legend(fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self
