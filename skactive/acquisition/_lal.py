"""Learning active learning (Konyushkova, Sznitman & Fua, 2017): a regressor
that predicts, from the state of a random forest and a candidate, how much
labeling the candidate would reduce the forest's test error.

The state is eight numbers per candidate (listed in :func:`lal_features`): two that
describe the candidate (the forest's probability of the positive class and
how much its trees disagree on it) and six that describe the learner (the
share of positive labels, the out-of-bag accuracy, the spread of the
feature importances, the trees' mean disagreement on the pool, the trees'
mean depth and the number of labels). :func:`lal_features` computes them
from arrays, :func:`forest_lal_features` reads them from a fitted forest.

The regressor learns from simulations (:func:`lal_training_set`): on
synthetic two-dimensional problems, two Gaussian clouds of random means,
covariances and class shares (:func:`make_lal_problem`), a forest is
trained on a labeled subset, random candidates are labeled one at a time,
and the drop of the test error that each one brings is recorded with its
features. LAL-independent draws the labeled subsets at random;
LAL-iterative follows the strategy learned from the first simulations to
reach the states of its second ones (:func:`train_lal_regressor`).
"""

# SPDX-License-Identifier: BSD-3-Clause

import json
import warnings
from numbers import Integral, Real
from pathlib import Path

import numpy as np
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.utils import check_array, check_random_state

from ..utils._sklearn_compat import HasMethods, Interval, StrOptions, validate_params

LAL_FEATURES = (
    "positive_probability",  # the forest's p(positive | candidate)
    "tree_disagreement",  # std of the trees' p(positive | candidate)
    "positive_share",  # share of positive labels in the labeled set
    "oob_accuracy",  # the forest's out-of-bag accuracy
    "importance_spread",  # std of the forest's feature importances
    "pool_disagreement",  # mean tree disagreement over the pool
    "mean_tree_depth",  # mean depth of the trees
    "n_labeled",  # number of labeled samples
)


@validate_params(
    {"tree_probabilities": ["array-like"], "positive_labels": ["array-like"],
     "oob_accuracy": [Interval(Real, 0, 1, closed="both")],
     "feature_importances": ["array-like"], "tree_depths": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def lal_features(tree_probabilities, positive_labels, oob_accuracy,
                 feature_importances, tree_depths):
    """LAL's eight state features for each candidate, from a forest's arrays.

    For a forest of ``T`` trees whose tree ``t`` gives the candidate ``x``
    the probability :math:`p_t(x)` of the positive class, the features of
    ``x`` are, in this order:

    1. :math:`\\bar p(x) = \\frac1T \\sum_t p_t(x)`, the forest's probability;
    2. :math:`s(x)`, the standard deviation of the :math:`p_t(x)` over the
       trees (their disagreement);
    3. the share of positive labels in the labeled set;
    4. the forest's out-of-bag accuracy;
    5. the standard deviation of its feature importances;
    6. the mean of :math:`s` over the pool (how unsure the forest is overall);
    7. the mean depth of its trees;
    8. the number of labeled samples.

    The first two describe the candidate, the last six the learner's state
    (the same for every candidate).

    Parameters
    ----------
    tree_probabilities : array-like of shape (n_trees, n_samples)
        Each tree's probability of the positive class for each candidate
        of the pool.

    positive_labels : array-like of shape (n_labeled,)
        For each labeled sample, whether its label is the positive class.

    oob_accuracy : float
        The forest's out-of-bag accuracy on the labeled set.

    feature_importances : array-like of shape (n_features,)
        The forest's feature importances.

    tree_depths : array-like of shape (n_trees,)
        The depth of each tree.

    Returns
    -------
    features : ndarray of shape (n_samples, 8)
        One row per candidate, columns as in :func:`lal_features`.

    Examples
    --------
    Two trees, three candidates; the trees agree on the first one only:

    >>> from skactive.acquisition import lal_features
    >>> features = lal_features([[1.0, 0.5, 0.0], [1.0, 0.0, 1.0]],
    ...                         positive_labels=[True, False, False, True],
    ...                         oob_accuracy=0.75, feature_importances=[0.5, 0.5],
    ...                         tree_depths=[1, 3])
    >>> features[:, :2]  # p(positive) and the trees' disagreement
    array([[1.  , 0.  ],
           [0.25, 0.25],
           [0.5 , 0.5 ]])
    >>> features[0, 2:]  # the state: the same for every candidate
    array([0.5 , 0.75, 0.  , 0.25, 2.  , 4.  ])
    """
    P = check_array(tree_probabilities, dtype=np.float64,
                    input_name="tree_probabilities")
    positive = np.asarray(positive_labels).ravel()
    importances = np.asarray(feature_importances, dtype=np.float64).ravel()
    depths = np.asarray(tree_depths, dtype=np.float64).ravel()
    if depths.shape[0] != P.shape[0]:
        raise ValueError(
            f"tree_depths has {depths.shape[0]} values but tree_probabilities has "
            f"{P.shape[0]} rows: give one depth and one row of probabilities per tree.")
    if positive.shape[0] == 0 or importances.shape[0] == 0:
        raise ValueError("positive_labels and feature_importances must not be empty.")
    disagreement = P.std(axis=0)
    state = [np.mean(positive.astype(bool)), float(oob_accuracy), importances.std(),
             disagreement.mean(), depths.mean(), positive.shape[0]]
    return np.column_stack([P.mean(axis=0), disagreement,
                            np.tile(state, (P.shape[1], 1))])


@validate_params(
    {"forest": [HasMethods(["predict_proba"])], "X": ["array-like", "sparse matrix"],
     "positive_labels": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def forest_lal_features(forest, X, positive_labels):
    """LAL's state features of the candidates ``X`` for a fitted forest.

    Reads from ``forest`` what :func:`lal_features` needs: the probability
    of its second class (``forest.classes_[1]``, the positive class) by each
    tree, its ``oob_score_`` (fit it with ``oob_score=True``), its
    ``feature_importances_`` and the depth of its trees.

    Parameters
    ----------
    forest : fitted RandomForestClassifier or ExtraTreesClassifier
        Fitted on the labeled set, two classes, ``oob_score=True``.

    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The candidates, as the forest sees them.

    positive_labels : array-like of shape (n_labeled,)
        For each labeled sample, whether its label is ``forest.classes_[1]``.

    Returns
    -------
    features : ndarray of shape (n_samples, 8)
        One row per candidate, columns as in :func:`lal_features`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from skactive.acquisition import forest_lal_features
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]])
    >>> y = np.array([0, 0, 0, 1, 1, 1])
    >>> forest = RandomForestClassifier(n_estimators=20, oob_score=True,
    ...                                 random_state=0).fit(X, y)
    >>> features = forest_lal_features(forest, [[0.5], [2.5]], y == 1)
    >>> features.shape
    (2, 8)
    >>> bool(features[0, 0] < features[1, 0])  # more positive near the ones
    True
    """
    if not hasattr(forest, "oob_score_"):
        raise ValueError(
            "LAL's state includes the forest's out-of-bag accuracy: fit a "
            "RandomForestClassifier with oob_score=True (and bootstrap=True).")
    if len(forest.classes_) != 2:
        raise ValueError(
            f"LAL is for binary classification; the forest has "
            f"{len(forest.classes_)} classes.")
    trees = forest.estimators_
    probabilities = np.array([tree.predict_proba(X)[:, 1] for tree in trees])
    depths = [tree.get_depth() for tree in trees]
    return lal_features(probabilities, positive_labels, float(forest.oob_score_),
                        forest.feature_importances_, depths)


@validate_params(
    {"n_samples": [Interval(Integral, 4, None, closed="left")],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def make_lal_problem(n_samples=300, *, random_state=None):
    """A synthetic problem of LAL's simulations: two Gaussian clouds in 2-D.

    The share of the positive class is drawn uniformly in [0.1, 0.9] (the
    problems are unbalanced, as Konyushkova et al.'s); each class is a
    Gaussian with a mean drawn uniformly in :math:`[-1, 1]^2` and a random
    covariance :math:`A A^\\top + 0.01 I`, :math:`A` with standard normal
    entries scaled by 0.5, so the clouds overlap more or less.

    Parameters
    ----------
    n_samples : int, default=300
        Number of samples; at least 4. Each class has at least one.

    random_state : int, RandomState instance or None, default=None
        Draws the problem and its samples.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        The samples.

    y : ndarray of shape (n_samples,)
        Their labels, 0 or 1 (1 is the positive class).

    Examples
    --------
    >>> from skactive.acquisition import make_lal_problem
    >>> X, y = make_lal_problem(50, random_state=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((50, 2), [0, 1])
    """
    rng = check_random_state(random_state)
    share = rng.uniform(0.1, 0.9)
    n_positive = int(np.clip(round(share * n_samples), 1, n_samples - 1))
    y = np.zeros(n_samples, dtype=int)
    y[:n_positive] = 1
    rng.shuffle(y)
    X = np.empty((n_samples, 2))
    for label in (0, 1):
        mean = rng.uniform(-1.0, 1.0, size=2)
        A = 0.5 * rng.normal(size=(2, 2))
        cov = A @ A.T + 0.01 * np.eye(2)
        X[y == label] = rng.multivariate_normal(mean, cov, size=int(np.sum(y == label)))
    return X, y


def _fit_forest(X, y, n_estimators, seed, n_jobs=None):
    """A random forest with an out-of-bag score, quiet about tiny sets (some
    samples are never out of bag; they count as predicted negative)."""
    forest = RandomForestClassifier(n_estimators=n_estimators, oob_score=True,
                                    random_state=seed, n_jobs=n_jobs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        return forest.fit(X, y)


def _record_state(X, y, labeled, unlabeled, X_test, y_test, n_candidates, n_estimators,
                  rng):
    """Features and test-error reductions of random candidates in one state.

    The forest and its refits with each candidate share one seed, so that the
    reduction measures the candidate rather than another draw of trees."""
    seed = rng.randint(np.iinfo(np.int32).max)
    forest = _fit_forest(X[labeled], y[labeled], n_estimators, seed)
    error = np.mean(forest.predict(X_test) != y_test)
    picks = rng.choice(len(unlabeled), min(n_candidates, len(unlabeled)), replace=False)
    features = forest_lal_features(forest, X[unlabeled], y[labeled] == 1)[picks]
    reductions = []
    for candidate in unlabeled[picks]:
        grown = np.append(labeled, candidate)
        refit = _fit_forest(X[grown], y[grown], n_estimators, seed)
        reductions.append(error - np.mean(refit.predict(X_test) != y_test))
    return features, np.asarray(reductions)


def _next_label(regressor, X, y, labeled, unlabeled, n_estimators, rng):
    """The next sample to label in a simulation: at random (LAL-independent)
    or the one the regressor prefers (LAL-iterative)."""
    if regressor is None:
        return unlabeled[rng.randint(len(unlabeled))]
    seed = rng.randint(np.iinfo(np.int32).max)
    forest = _fit_forest(X[labeled], y[labeled], n_estimators, seed)
    features = forest_lal_features(forest, X[unlabeled], y[labeled] == 1)
    return unlabeled[np.argmax(regressor.predict(features))]


def _episode(regressor, n_pool, n_test, max_labeled, n_states, n_candidates,
             n_estimators, rng):
    """One simulated problem: label from one sample of each class up to
    ``max_labeled``, recording ``n_states`` states on the way."""
    X, y = make_lal_problem(n_pool + n_test, random_state=rng)
    X_test, y_test = X[n_pool:], y[n_pool:]
    X, y = X[:n_pool], y[:n_pool]
    labeled = np.array([rng.choice(np.flatnonzero(y == label)) for label in (0, 1)])
    sizes = np.arange(2, max_labeled + 1)
    states = set(rng.choice(sizes, min(n_states, len(sizes)), replace=False).tolist())
    rows, targets = [], []
    while True:
        unlabeled = np.setdiff1d(np.arange(n_pool), labeled)
        if len(labeled) in states:
            features, reductions = _record_state(
                X, y, labeled, unlabeled, X_test, y_test, n_candidates,
                n_estimators, rng)
            rows.append(features)
            targets.append(reductions)
        if len(labeled) >= max(states):
            return np.vstack(rows), np.concatenate(targets)
        labeled = np.append(labeled, _next_label(regressor, X, y, labeled, unlabeled,
                                                 n_estimators, rng))


@validate_params(
    {"n_problems": [Interval(Integral, 1, None, closed="left")],
     "regressor": [None, HasMethods(["predict"])],
     "n_pool": [Interval(Integral, 4, None, closed="left")],
     "n_test": [Interval(Integral, 1, None, closed="left")],
     "max_labeled": [Interval(Integral, 2, None, closed="left")],
     "n_states": [Interval(Integral, 1, None, closed="left")],
     "n_candidates": [Interval(Integral, 1, None, closed="left")],
     "n_estimators": [Interval(Integral, 1, None, closed="left")],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def lal_training_set(n_problems=30, *, regressor=None, n_pool=100, n_test=200,
                     max_labeled=30, n_states=2, n_candidates=8, n_estimators=10,
                     random_state=None):
    """Simulated LAL training data: state features and test-error reductions.

    For each of ``n_problems`` synthetic problems (:func:`make_lal_problem`,
    ``n_pool`` samples to label from and ``n_test`` to measure the error
    on), labels are added one at a time from one sample of each class up to
    at most ``max_labeled``. At ``n_states`` sizes drawn at random on the
    way, a random forest of ``n_estimators`` trees is fitted on the labeled
    set and ``n_candidates`` random unlabeled samples are each labeled in
    turn: the target of a candidate is the drop of the forest's test error
    (0/1 loss) when it is added, :math:`\\delta = e(L) - e(L \\cup \\{x\\})`,
    and its features are :func:`forest_lal_features` of the forest before.

    Without ``regressor`` the labels are added at random: the states of
    LAL-independent. With one, each next label is the sample it predicts the
    largest reduction for: the states that the learned strategy reaches,
    LAL-iterative's.

    Parameters
    ----------
    n_problems : int, default=30
        Number of simulated problems.

    regressor : fitted regressor, default=None
        Predicts the reduction from the features; it picks the labels
        between recorded states. None picks them at random.

    n_pool : int, default=100
        Samples to label from, per problem.

    n_test : int, default=200
        Samples the test error is measured on, per problem.

    max_labeled : int, default=30
        Largest labeled set of a recorded state.

    n_states : int, default=2
        Recorded states per problem.

    n_candidates : int, default=8
        Candidates labeled in each recorded state.

    n_estimators : int, default=10
        Trees of the simulated forests.

    random_state : int, RandomState instance or None, default=None
        Draws everything: the same seed gives the same training set.

    Returns
    -------
    features : ndarray of shape (n_rows, 8)
        One row per candidate, columns as in :func:`lal_features`.

    reductions : ndarray of shape (n_rows,)
        The drop of the test error that labeling it brought.

    Examples
    --------
    >>> from skactive.acquisition import lal_training_set
    >>> features, reductions = lal_training_set(2, max_labeled=6, n_candidates=3,
    ...                                         random_state=0)
    >>> features.shape, reductions.shape
    ((12, 8), (12,))
    """
    rng = check_random_state(random_state)
    parts = [_episode(regressor, n_pool, n_test, max_labeled, n_states, n_candidates,
                      n_estimators, rng) for _ in range(n_problems)]
    return (np.vstack([features for features, _ in parts]),
            np.concatenate([reductions for _, reductions in parts]))


@validate_params(
    {"mode": [StrOptions({"independent", "iterative"})],
     "n_problems": [Interval(Integral, 1, None, closed="left")],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=False,
)
def lal_simulation(mode="iterative", *, n_problems=30, random_state=None, **settings):
    """LAL's whole training set: LAL-independent's or LAL-iterative's.

    ``"independent"`` is :func:`lal_training_set` of ``n_problems`` problems
    labeled at random. ``"iterative"`` adds ``n_problems`` more whose labels
    are picked by the regressor fitted to the first ones
    (:func:`fit_lal_regressor`): Konyushkova et al.'s LAL-iterative, with
    one iteration.

    Parameters
    ----------
    mode : {"independent", "iterative"}, default="iterative"
        How the simulated states are reached.

    n_problems : int, default=30
        Problems simulated per round (one round independent, two iterative).

    random_state : int, RandomState instance or None, default=None
        Seeds the simulations: the same seed gives the same training set.

    **settings : dict
        Other parameters of :func:`lal_training_set` (``max_labeled``,
        ``n_candidates``, ...).

    Returns
    -------
    features : ndarray of shape (n_rows, 8)
        Columns as in :func:`lal_features`.

    reductions : ndarray of shape (n_rows,)
        The test-error reduction of each row's candidate.

    Examples
    --------
    >>> from skactive.acquisition import lal_simulation
    >>> features, reductions = lal_simulation(
    ...     "iterative", n_problems=2, max_labeled=6, n_candidates=2, random_state=0)
    >>> features.shape  # 2 rounds x 2 problems x 2 states x 2 candidates
    (16, 8)
    """
    rng = check_random_state(random_state)
    features, reductions = lal_training_set(n_problems, random_state=rng, **settings)
    if mode == "independent":
        return features, reductions
    regressor = fit_lal_regressor(features, reductions,
                                  random_state=rng.randint(np.iinfo(np.int32).max))
    more, more_reductions = lal_training_set(n_problems, regressor=regressor,
                                             random_state=rng, **settings)
    return np.vstack([features, more]), np.concatenate([reductions, more_reductions])


@validate_params(
    {"features": ["array-like"], "reductions": ["array-like"],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def fit_lal_regressor(features, reductions, *, random_state=0):
    """LAL's regressor: a random forest fitted to predict the error reduction.

    100 trees, 6 of the 8 features tried per split, at least 5 samples per
    leaf; the same training set and seed give the same predictions.

    Parameters
    ----------
    features : array-like of shape (n_rows, 8)
        Columns as in :func:`lal_features`.

    reductions : array-like of shape (n_rows,)
        The test-error reduction of each row's candidate.

    random_state : int, RandomState instance or None, default=0
        Seeds the forest.

    Returns
    -------
    regressor : RandomForestRegressor
        Fitted.

    Examples
    --------
    >>> from skactive.acquisition import fit_lal_regressor, lal_training_set
    >>> features, reductions = lal_training_set(3, max_labeled=8, random_state=0)
    >>> fit_lal_regressor(features, reductions).predict(features[:2]).shape
    (2,)
    """
    features = check_array(features, dtype=np.float64, input_name="features")
    if features.shape[1] != len(LAL_FEATURES):
        raise ValueError(
            f"features has {features.shape[1]} columns; LAL's state has "
            f"{len(LAL_FEATURES)} (see lal_features).")
    regressor = RandomForestRegressor(n_estimators=100, max_features=6,
                                      min_samples_leaf=5, random_state=random_state)
    return regressor.fit(features, np.asarray(reductions, dtype=np.float64))


# The shipped training sets: lal_<mode>.json next to this module, written by
# ``python -m skactive.acquisition._lal`` with these settings.
SHIPPED_SETTINGS = {"n_problems": 30, "random_state": 0}


def _shipped_path(mode):
    return Path(__file__).with_name(f"lal_{mode}.json")


@validate_params({"mode": [StrOptions({"independent", "iterative"})]},
                 prefer_skip_nested_validation=True)
def load_lal_training_set(mode="iterative"):
    """The training set shipped with skactive, simulated once.

    :func:`lal_simulation` with ``n_problems=30`` and ``random_state=0``
    takes minutes, so its result is shipped as data (JSON, numbers written
    to round-trip exactly); ``python -m skactive.acquisition._lal``
    regenerates the files and ``python -m skactive.acquisition._lal
    --check`` checks that the simulation still gives them.

    Parameters
    ----------
    mode : {"independent", "iterative"}, default="iterative"
        Which simulation.

    Returns
    -------
    features : ndarray of shape (n_rows, 8)
        Columns as in :func:`lal_features`.

    reductions : ndarray of shape (n_rows,)
        The test-error reduction of each row's candidate.

    Examples
    --------
    >>> from skactive.acquisition import load_lal_training_set
    >>> features, reductions = load_lal_training_set("iterative")
    >>> features.shape[1]
    8
    """
    with open(_shipped_path(mode), encoding="utf-8") as file:
        data = json.load(file)
    return (np.asarray(data["features"], dtype=np.float64),
            np.asarray(data["reductions"], dtype=np.float64))


def _write_shipped(mode, path):
    features, reductions = lal_simulation(mode, **SHIPPED_SETTINGS)
    data = {"mode": mode, "settings": SHIPPED_SETTINGS, "columns": list(LAL_FEATURES),
            "features": features.tolist(), "reductions": reductions.tolist()}
    with open(path, "w", encoding="utf-8") as file:
        json.dump(data, file, separators=(",", ":"))
        file.write("\n")
    return features, reductions


def main(argv=None):
    """Regenerate the shipped training sets, or ``--check`` them."""
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--check", action="store_true",
                        help="simulate again and compare with the shipped files")
    parser.add_argument("--mode", choices=["independent", "iterative"], nargs="*",
                        default=["independent", "iterative"])
    args = parser.parse_args(argv)
    for mode in args.mode:
        if not args.check:
            _write_shipped(mode, _shipped_path(mode))
            print(f"wrote {_shipped_path(mode)}")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            features, reductions = _write_shipped(mode, Path(tmp) / "lal.json")
        shipped = load_lal_training_set(mode)
        same = (np.array_equal(features, shipped[0])
                and np.array_equal(reductions, shipped[1]))
        print(f"{mode}: {'the same' if same else 'DIFFERENT'}")
        if not same:
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
