"""SPAL: BMDR with self-paced easiness weights (Tang & Huang, 2019)."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np

from ..acquisition import self_paced_weights, worst_case_loss
from ..utils._selection import top_k
from ..utils._sklearn_compat import Interval
from .bmdr import _KernelQPSampler


class SPALSampler(_KernelQPSampler):
    """Self-paced active learning (SPAL; Tang & Huang, 2019).

    BMDR's problem (see :class:`~skactive.BMDRSampler`) with an *easiness*
    weight :math:`v_j \\in [0, 1]` on each pool sample's worst-case loss,
    so that informative and representative samples that are still too hard
    for the model wait. The three blocks alternate: the selection weights
    :math:`\\alpha` (a quadratic program, ``mu`` weighing the MMD, the
    losses weighted by :math:`v`, :math:`\\sum_j v_j \\alpha_j = b`; solved
    with Clarabel), the easiness :math:`v_j = \\max(0, 1 - \\alpha_j
    \\ell_j / \\lambda)` (:func:`~skactive.acquisition.self_paced_weights`,
    :math:`\\ell_j = f_j^2 + 2|f_j|`), and the model refitted with the
    worst-case loss on every pool sample weighted by :math:`\\alpha_j v_j`
    (solved exactly through its dual, hence no ADMM ``rho``). The batch is
    the :math:`b` largest :math:`\\alpha_j v_j`; the loop stops when it
    repeats, after at most ``max_iter`` selections. The pace :math:`\\lambda
    = \\lambda_0 + \\text{lambda\\_pace} \\cdot n_L` grows with the number
    :math:`n_L` of labeled samples, so harder samples come in as the model
    learns (ALiPy, which Lu et al. ran, keeps :math:`\\lambda_0`: pass
    ``lambda_pace=0`` for that). Scores are :math:`\\alpha_j v_j` for a
    batch of one.

    Parameters
    ----------
    transformer : transformer, default=None
        Maps samples to numeric features (fitted on the labeled samples in
        :meth:`fit`); None compares ``X`` itself.

    mu : float, default=0.1
        Weight of the MMD (representativeness) term.

    gamma : float, default=0.1
        Weight of the model's RKHS norm.

    gamma_kernel : float, default=1.0
        The RBF kernel's ``gamma``.

    lambda_init : float, default=0.1
        :math:`\\lambda_0`, the pace with no labeled samples.

    lambda_pace : float, default=0.01
        How much :math:`\\lambda` grows per labeled sample.

    max_iter : int, default=16
        At most this many selection QPs per call (ALiPy's limit).

    random_state : int, RandomState instance or None, default=None
        Breaks exact ties (and orders the pool when the labeled data hold a
        single class).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels; the last is +1 for the model.

    coef_ : ndarray of shape (n_labeled,) or None
        The model fitted on the labeled samples; None for a single class.

    pace_ : float
        :math:`\\lambda` for this labeled set.

    transformer_ : transformer or None
        The fitted clone of ``transformer``.

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skactive.BMDRSampler : The same without the easiness weights.

    References
    ----------
    Tang, Y.-P., & Huang, S.-J. (2019). Self-paced active learning: query
    the right thing at the right time. AAAI, 5117-5124.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skactive import SPALSampler
    >>> X, y = make_classification(n_samples=60, n_features=4, random_state=0)
    >>> sampler = SPALSampler(gamma_kernel=0.5, random_state=0).fit(X[:10], y[:10])
    >>> sampler.select(X[10:], batch_size=2).shape
    (2,)
    >>> round(sampler.pace_, 2)
    0.2
    """

    _parameter_constraints: dict = {
        **_KernelQPSampler._parameter_constraints,
        "mu": [Interval(Real, 0, None, closed="left")],
        "lambda_init": [Interval(Real, 0, None, closed="neither")],
        "lambda_pace": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, transformer=None, *, mu=0.1, gamma=0.1, gamma_kernel=1.0,
                 lambda_init=0.1, lambda_pace=0.01, max_iter=16, random_state=None):
        self.transformer = transformer
        self.mu = mu
        self.gamma = gamma
        self.gamma_kernel = gamma_kernel
        self.lambda_init = lambda_init
        self.lambda_pace = lambda_pace
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, X, y):
        """Fit the kernel least-squares model and set the pace.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples: numbers, or any input ``transformer`` takes.

        y : array-like of shape (n_samples,)
            Their labels, of two classes.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        super().fit(X, y)
        self.pace_ = self.lambda_init + self.lambda_pace * self.y_signed_.shape[0]
        return self

    def _mmd_weight(self):
        return self.mu

    def _selection_weights(self, X, batch_size):
        kernels = self._kernels(X)
        K_UL = kernels.labeled
        coef, previous, start = self._coef, None, None
        easiness = np.ones(K_UL.shape[0])
        for _ in range(self.max_iter):
            decision = K_UL @ coef
            alpha, working = self._select_qp(kernels, decision, batch_size,
                                             easiness=easiness, start=start)
            start = (alpha, working)
            easiness = self_paced_weights(alpha * worst_case_loss(decision), self.pace_)
            weights = alpha * easiness
            batch = set(top_k(weights, batch_size, self.random_state).tolist())
            if batch == previous:
                break
            previous = batch
            coef = self._model_step(K_UL, weights)
        return weights
