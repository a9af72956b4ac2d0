"""Classification change (Zhu, Wang & Hovy, 2008)."""

# SPDX-License-Identifier: BSD-3-Clause

from ._criterion import StoppingCriterion, _model_name, _predicts_values
from ._rules import n_changed


class ClassificationChange(StoppingCriterion):
    """Stop when no prediction on the stop set changed since the last round.

    Zhu, Wang & Hovy (2008): once a new round of labels changes no predicted
    label of the unlabeled data, the model has stopped learning from them.
    For classifiers only: continuous predictions are refused (a regressor's
    predictions change a little at every round; see
    :class:`StabilizingPredictions`).

    Attributes
    ----------
    history_ : list of int
        Predictions changed at each round (-1 at the first round).

    stopped_at_ : int or None
        The first round at which no prediction changed, or None.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive.labeling import ClassificationChange
    >>> X, y = load_iris(return_X_y=True)
    >>> model = LogisticRegression(max_iter=500).fit(X[::5], y[::5])
    >>> criterion = ClassificationChange()
    >>> criterion.update(model, X, 30), criterion.update(model, X, 40)
    (False, True)
    """

    def measure(self, estimator, X_stop, n_labeled):
        current = estimator.predict(X_stop)
        if _predicts_values(estimator, current):
            raise ValueError(
                "ClassificationChange counts changed class labels, but "
                f"{_model_name(estimator)} predicts continuous values, which "
                f"change a little at every round. Use StabilizingPredictions or "
                "LabelBudget instead."
            )
        previous, self.predictions_ = getattr(self, "predictions_", None), current
        return -1 if previous is None else n_changed(previous, current)

    def should_stop(self, history):
        return history[-1] == 0
