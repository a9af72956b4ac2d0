"""Expected error reduction (Roy & McCallum, 2001) and variance reduction
(Schein & Ungar, 2007): what labeling a candidate would do to the model's
future errors, or to the variance of its predictions, on the pool.

Expected error reduction asks, for each candidate ``x`` and each label
``c``: if ``x`` were labeled ``c`` and the model refitted, how many errors
would it still expect on the pool? The answers are averaged over ``c`` with
the current model's ``p(c | x)``; the candidate with the lowest expected
future error is labeled first. The refits are the sampler's business; here
are the losses (:func:`future_error`), their expectation
(:func:`expected_error`) and the closed form of a Gaussian naive Bayes
model's refit (:func:`gaussian_nb_future_probabilities`).

Variance reduction asks the same of a logistic regression's parameters,
without refits: the Fisher information of the labeled set ``F`` grows by
the candidate's ``F_x`` (which does not depend on its label), and the total
variance of the predicted probabilities over the pool, ``tr(A F^-1)``,
shrinks; :func:`variance_reduction` is that shrinkage for every candidate at
once, by the Woodbury identity.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
from scipy.special import entr, logsumexp
from sklearn.utils import check_array

from ..utils._sklearn_compat import Interval, StrOptions, validate_params

LOSSES = ("zero_one", "log_loss")


@validate_params(
    {"probabilities": ["array-like"], "loss": [StrOptions(set(LOSSES))]},
    prefer_skip_nested_validation=True,
)
def future_error(probabilities, *, loss="zero_one"):
    """A model's own estimate of its error on each sample, from its probabilities.

    Roy & McCallum (2001) estimate the error of a model on unlabeled samples
    with the model's own probabilities as the unknown labels' distribution:
    the expected 0/1 loss ``1 - max_c p_c`` or the expected log loss
    ``-sum_c p_c log p_c`` (natural logarithm: the entropy, in nats).

    Parameters
    ----------
    probabilities : array-like of shape (..., n_classes)
        Class probabilities; the last axis is the classes.

    loss : {"zero_one", "log_loss"}, default="zero_one"
        Which error.

    Returns
    -------
    errors : ndarray of shape (...)
        One value per sample (the shape of ``probabilities`` without its
        last axis).

    Examples
    --------
    >>> from skactive.acquisition import future_error
    >>> future_error([[0.9, 0.1], [0.5, 0.5]])
    array([0.1, 0.5])
    >>> future_error([[1.0, 0.0], [0.5, 0.5]], loss="log_loss").round(4)
    array([0.    , 0.6931])
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    if probabilities.ndim < 1 or probabilities.shape[-1] < 2:
        raise ValueError(
            f"probabilities has shape {probabilities.shape}: its last axis must "
            "hold one probability per class, at least two.")
    if loss == "zero_one":
        return 1.0 - probabilities.max(axis=-1)
    return entr(probabilities).sum(axis=-1)


@validate_params(
    {"label_probabilities": ["array-like"], "future_probabilities": ["array-like"],
     "loss": [StrOptions(set(LOSSES))]},
    prefer_skip_nested_validation=True,
)
def expected_error(label_probabilities, future_probabilities, *, loss="zero_one"):
    """Expected future error on the pool after labeling each candidate.

    Roy & McCallum (2001): for candidate ``i``, the error that the model
    refitted with ``x_i`` labeled ``c`` expects on the pool (summed over the
    pool, see :func:`future_error`), averaged over the labels ``c`` with the
    current model's ``p(c | x_i)``::

        E_i = sum_c p(c | x_i) sum_u loss(p'_{i,c}(. | x_u)).

    Lower is better: expected error reduction labels ``argmin_i E_i`` next.

    Parameters
    ----------
    label_probabilities : array-like of shape (n_candidates, n_classes)
        The current model's probabilities of the candidates' labels.

    future_probabilities : array-like of shape (n_candidates, n_classes, n_pool, \
            n_classes)
        ``future_probabilities[i, c]``: the probabilities, on the pool, of
        the model refitted with candidate ``i`` labeled ``c``.

    loss : {"zero_one", "log_loss"}, default="zero_one"
        The expected 0/1 loss ``1 - max p`` or log loss ``-sum p log p``.

    Returns
    -------
    errors : ndarray of shape (n_candidates,)
        The expected future error of each candidate.

    Examples
    --------
    >>> from skactive.acquisition import expected_error
    >>> label_probabilities = [[0.5, 0.5]]
    >>> future = [[[[0.9, 0.1], [0.8, 0.2]],    # labeled 0: errors 0.1 + 0.2
    ...            [[0.6, 0.4], [0.3, 0.7]]]]   # labeled 1: errors 0.4 + 0.3
    >>> expected_error(label_probabilities, future).round(6)
    array([0.5])
    """
    label_probabilities = check_array(label_probabilities, dtype=np.float64,
                                      input_name="label_probabilities")
    future = np.asarray(future_probabilities, dtype=np.float64)
    n_candidates, n_classes = label_probabilities.shape
    if future.ndim != 4 or future.shape[:2] != (n_candidates, n_classes) \
            or future.shape[3] != n_classes:
        raise ValueError(
            f"future_probabilities has shape {future.shape}, expected "
            f"({n_candidates}, {n_classes}, n_pool, {n_classes}): the pool's "
            "probabilities after labeling each candidate with each class.")
    errors = future_error(future, loss=loss).sum(axis=2)
    return np.einsum("ic,ic->i", label_probabilities, errors)


@validate_params(
    {"means": ["array-like"], "variances": ["array-like"], "counts": ["array-like"],
     "X_candidates": ["array-like"], "X_pool": ["array-like"],
     "feature_means": ["array-like"], "feature_variances": ["array-like"],
     "var_smoothing": [Interval(Real, 0, None, closed="left")],
     "priors": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def gaussian_nb_future_probabilities(means, variances, counts, X_candidates, X_pool,
                                     *, feature_means, feature_variances,
                                     var_smoothing=1e-9, priors=None):
    """Pool probabilities of a GaussianNB refitted with one more sample, in closed form.

    For every candidate and label. The exact result of
    ``GaussianNB(var_smoothing=..., priors=...).fit(X + [x_i], y + [c])
    .predict_proba(X_pool)`` without refitting: class ``c``'s mean and
    (population) variance take ``x_i`` in by the one-sample update of
    Welford, and so do the overall feature variances, whose largest sets
    the smoothing ``var_smoothing * max_j var_j`` added to every class's
    variances (as :class:`~sklearn.naive_bayes.GaussianNB` does in ``fit``);
    without ``priors``, the class priors are the updated class frequencies.

    Parameters
    ----------
    means, variances : array-like of shape (n_classes, n_features)
        Per class, the mean and the population variance (without the
        smoothing) of the labeled samples: ``theta_`` and
        ``var_ - epsilon_`` of a fitted ``GaussianNB``.

    counts : array-like of shape (n_classes,)
        Labeled samples per class (``class_count_``).

    X_candidates : array-like of shape (n_candidates, n_features)
        The samples that would be labeled, one at a time.

    X_pool : array-like of shape (n_pool, n_features)
        Where the refitted model predicts.

    feature_means, feature_variances : array-like of shape (n_features,)
        Mean and population variance of every feature over the labeled
        samples.

    var_smoothing : float, default=1e-9
        ``GaussianNB``'s ``var_smoothing``.

    priors : array-like of shape (n_classes,), default=None
        ``GaussianNB``'s fixed ``priors``; None for the class frequencies.

    Returns
    -------
    probabilities : ndarray of shape (n_candidates, n_classes, n_pool, n_classes)
        ``probabilities[i, c]``: the refitted model's ``predict_proba`` on
        the pool, with candidate ``i`` labeled ``c``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skactive.acquisition import gaussian_nb_future_probabilities
    >>> X = np.array([[0.0], [1.0], [3.0], [4.0]]); y = np.array([0, 0, 1, 1])
    >>> nb = GaussianNB().fit(X, y)
    >>> future = gaussian_nb_future_probabilities(
    ...     nb.theta_, nb.var_ - nb.epsilon_, nb.class_count_, [[2.0]], [[1.5]],
    ...     feature_means=X.mean(axis=0), feature_variances=X.var(axis=0))
    >>> refit = GaussianNB().fit(np.vstack([X, [[2.0]]]), [0, 0, 1, 1, 1])
    >>> bool(np.allclose(future[0, 1], refit.predict_proba([[1.5]])))
    True
    """
    means = check_array(means, dtype=np.float64, input_name="means")
    variances = check_array(variances, dtype=np.float64, input_name="variances")
    counts = np.asarray(counts, dtype=np.float64)
    X_candidates = check_array(X_candidates, dtype=np.float64,
                               input_name="X_candidates")
    X_pool = check_array(X_pool, dtype=np.float64, input_name="X_pool")
    n_classes, n_features = means.shape
    if variances.shape != means.shape or counts.shape != (n_classes,) or \
            X_candidates.shape[1] != n_features or X_pool.shape[1] != n_features:
        raise ValueError(
            f"means has shape {means.shape}, variances {variances.shape}, counts "
            f"{counts.shape}, X_candidates {X_candidates.shape} and X_pool "
            f"{X_pool.shape}: pass per-class statistics of one fitted model and "
            "samples with its features.")
    new_means, new_variances = _class_updates(means, variances, counts, X_candidates)
    epsilon = var_smoothing * _updated_variance(
        np.asarray(feature_means, dtype=np.float64),
        np.asarray(feature_variances, dtype=np.float64),
        counts.sum(), X_candidates).max(axis=1)
    n_candidates = X_candidates.shape[0]
    # theta[i, c, k]: class k's mean once candidate i is labeled c.
    shape = (n_candidates, n_classes, n_classes, n_features)
    theta = np.broadcast_to(means, shape).copy()
    var = np.broadcast_to(variances, theta.shape).copy()
    diagonal = np.arange(n_classes)
    theta[:, diagonal, diagonal] = new_means
    var[:, diagonal, diagonal] = new_variances
    var += epsilon[:, None, None, None]
    log_prior = _log_priors(counts, priors, n_candidates)
    return _nb_probabilities(theta, var, log_prior, X_pool)


def _class_updates(means, variances, counts, X_candidates):
    """Class c's mean and variance with candidate i added: shape (i, c, d)."""
    n = counts[None, :, None]
    delta = X_candidates[:, None, :] - means[None]
    new_means = means[None] + delta / (n + 1)
    spread = delta * (X_candidates[:, None, :] - new_means)
    new_variances = (n * variances[None] + spread) / (n + 1)
    return new_means, new_variances


def _updated_variance(mean, variance, n, X_candidates):
    """Population variance of every feature with candidate i added: (i, d)."""
    delta = X_candidates - mean
    new_mean = mean + delta / (n + 1)
    return (n * variance + delta * (X_candidates - new_mean)) / (n + 1)


def _log_priors(counts, priors, n_candidates):
    """log prior[c, k] once a candidate is labeled c (fixed priors: k only)."""
    n_classes = counts.shape[0]
    if priors is not None:
        priors = np.asarray(priors, dtype=np.float64)
        return np.broadcast_to(np.log(priors), (n_classes, n_classes))
    updated = counts[None, :] + np.eye(n_classes)
    return np.log(updated / (counts.sum() + 1))


def _nb_probabilities(theta, var, log_prior, X_pool):
    """predict_proba of the models theta[i, c], var[i, c] on X_pool: (i, c, n, k)."""
    precision = 1.0 / var
    # sum_j (x_j - t_j)^2 / v_j = x^2 . (1/v) - 2 x . (t/v) + t^2 . (1/v)
    quadratic = (np.einsum("nj,ickj->icnk", X_pool ** 2, precision)
                 - 2.0 * np.einsum("nj,ickj->icnk", X_pool, theta * precision)
                 + np.einsum("ickj->ick", theta ** 2 * precision)[:, :, None, :])
    log_norm = -0.5 * np.log(2.0 * np.pi * var).sum(axis=-1)
    jll = log_prior[None, :, None, :] + log_norm[:, :, None, :] - 0.5 * quadratic
    return np.exp(jll - logsumexp(jll, axis=-1, keepdims=True))


def _check_logistic_inputs(probabilities, X, name):
    probabilities = check_array(probabilities, dtype=np.float64,
                                input_name=f"probabilities_{name}")
    X = check_array(X, dtype=np.float64, input_name=f"X_{name}")
    if probabilities.shape[1] < 2 or probabilities.shape[0] != X.shape[0]:
        raise ValueError(
            f"probabilities_{name} has shape {probabilities.shape} and X_{name} "
            f"{X.shape}: pass one row of class probabilities (at least two "
            "columns) per sample.")
    return probabilities, np.hstack([X, np.ones((X.shape[0], 1))])


def _output_factors(probabilities):
    """Per sample, ``W = diag(p) - p p^T`` in the model's parametrization, its
    square root ``L`` (``W = L L^T``), and ``S``, the matrix with
    ``J J^T = S ⊗ x x^T`` for the Jacobian ``J`` of all class probabilities.

    Binary: scikit-learn's one weight vector, ``W = p1 (1 - p1)`` (1 x 1);
    ``p0`` and ``p1`` move by opposite amounts, so ``S = 2 W^2``.
    """
    if probabilities.shape[1] == 2:
        w = (probabilities[:, 1] * probabilities[:, 0])[:, None, None]
        return w, np.sqrt(w), 2.0 * w ** 2
    W = (probabilities[:, :, None] * np.eye(probabilities.shape[1])
         - probabilities[:, :, None] * probabilities[:, None, :])
    eigenvalues, vectors = np.linalg.eigh(W)
    root = vectors * np.sqrt(np.maximum(eigenvalues, 0.0))[:, None, :]
    return W, root, W @ W


def _kron_sum(S, X):
    """``sum_n S_n ⊗ x_n x_n^T`` as a (C D) x (C D) matrix, class-major."""
    blocks = np.einsum("nab,ni,nj->aibj", S, X, X)
    size = S.shape[1] * X.shape[1]
    return blocks.reshape(size, size)


def _quadratic_blocks(G, L, X):
    """``U_n^T G U_n`` for ``U_n = L_n ⊗ x_n``: shape (n, C', C')."""
    C, D = L.shape[1], X.shape[1]
    blocks = G.reshape(C, D, C, D)
    inner = np.einsum("ni,aibj,nj->nab", X, blocks, X)
    return np.einsum("nak,nab,nbl->nkl", L, inner, L)


@validate_params(
    {"probabilities_labeled": ["array-like"], "X_labeled": ["array-like"],
     "sigma": [Interval(Real, 0, None, closed="neither")]},
    prefer_skip_nested_validation=True,
)
def fisher_information(probabilities_labeled, X_labeled, *, sigma=1.0):
    """Fisher information of a logistic regression on labeled samples, plus I / sigma.

    For the multinomial model ``p = softmax(W [x, 1])`` and one sample,
    ``F_x = (diag(p) - p p^T) ⊗ [x, 1][x, 1]^T``, whatever its label; for two
    classes, scikit-learn's single weight vector gives ``p1 (1 - p1) [x, 1]
    [x, 1]^T``. The labeled samples' sum plus ``I / sigma`` (the precision
    of a Gaussian prior of variance ``sigma``, as libact's
    ``VarianceReduction`` adds ``1 / sigma`` to the diagonal) is invertible.

    Parameters
    ----------
    probabilities_labeled : array-like of shape (n_samples, n_classes)
        The model's probabilities on the labeled samples.

    X_labeled : array-like of shape (n_samples, n_features)
        The features the model sees (no intercept column: it is added).

    sigma : float, default=1.0
        Prior variance; ``1 / sigma`` is added to the diagonal.

    Returns
    -------
    fisher : ndarray of shape (n_parameters, n_parameters)
        ``n_parameters`` is ``n_features + 1`` for two classes,
        ``n_classes (n_features + 1)`` otherwise (class-major).

    Examples
    --------
    >>> from skactive.acquisition import fisher_information
    >>> fisher_information([[0.5, 0.5]], [[2.0]], sigma=10.0)
    array([[1.1 , 0.5 ],
           [0.5 , 0.35]])
    """
    probabilities, X = _check_logistic_inputs(probabilities_labeled, X_labeled,
                                              "labeled")
    W, _, _ = _output_factors(probabilities)
    fisher = _kron_sum(W, X)
    fisher[np.diag_indices_from(fisher)] += 1.0 / sigma
    return fisher


@validate_params(
    {"fisher": ["array-like"], "probabilities_pool": ["array-like"],
     "X_pool": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def variance_reduction(fisher, probabilities_pool, X_pool):
    """Shrinkage of a logistic regression's prediction variance by each candidate.

    The A-optimality criterion of variance reduction.

    Schein & Ungar (2007): with the parameters' covariance approximated by
    the inverse Fisher information ``F^-1`` (:func:`fisher_information`),
    the variance of the predicted probabilities, summed over the classes and
    the pool, is ``tr(A F^-1)`` with ``A = sum_u J_u J_u^T``, ``J_u`` the
    Jacobian of sample ``u``'s class probabilities with respect to the
    parameters. Labeling candidate ``x`` adds ``F_x`` to ``F``, whatever the
    label; the reduction

    .. math:: \\operatorname{tr}(A F^{-1}) - \\operatorname{tr}(A (F + F_x)^{-1})

    is computed for every candidate from the Woodbury identity
    (``F_x = U U^T`` of rank at most ``n_classes``), one inverse of ``F`` in
    all: O(n_pool n_parameters^2).

    Parameters
    ----------
    fisher : array-like of shape (n_parameters, n_parameters)
        ``F``, from :func:`fisher_information` on the labeled samples.

    probabilities_pool : array-like of shape (n_pool, n_classes)
        The model's probabilities on the pool: every pool sample is both a
        candidate and where the variance is counted.

    X_pool : array-like of shape (n_pool, n_features)
        The features the model sees.

    Returns
    -------
    reductions : ndarray of shape (n_pool,)
        Non-negative; variance reduction labels the largest first.

    Examples
    --------
    >>> from skactive.acquisition import fisher_information, variance_reduction
    >>> F = fisher_information([[0.5, 0.5], [0.9, 0.1]], [[0.0], [1.0]])
    >>> variance_reduction(F, [[0.5, 0.5], [0.99, 0.01]], [[0.5], [3.0]]).round(4)
    array([0.0216, 0.0043])
    """
    probabilities, X = _check_logistic_inputs(probabilities_pool, X_pool, "pool")
    _, L, S = _output_factors(probabilities)
    fisher = check_array(fisher, dtype=np.float64, input_name="fisher")
    size = L.shape[1] * X.shape[1]
    if fisher.shape != (size, size):
        raise ValueError(
            f"fisher has shape {fisher.shape} but the pool's model has {size} "
            "parameters: compute it with fisher_information from the same "
            "model's probabilities on the labeled samples.")
    F_inv = np.linalg.inv(fisher)
    A = _kron_sum(S, X)
    B = F_inv @ A @ F_inv
    M = _quadratic_blocks(F_inv, L, X) + np.eye(L.shape[2])
    N = _quadratic_blocks(B, L, X)
    reductions = np.trace(np.linalg.solve(M, N), axis1=1, axis2=2)
    return np.maximum(reductions, 0.0)
