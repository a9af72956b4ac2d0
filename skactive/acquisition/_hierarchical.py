"""Hierarchical sampling (Dasgupta & Hsu, 2008): labels spread over the
clusters of a hierarchical clustering, more where the labels disagree.

The tree is given as scikit-learn's ``AgglomerativeClustering.children_``:
leaves ``0 .. n_leaves - 1`` are the samples, node ``n_leaves + i`` merges
``children[i]``, so every node comes after its two children and the root is
the last node. Labels are class codes ``0 .. n_classes - 1``, ``-1`` for an
unlabeled leaf.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_array, check_random_state

from ..utils._sklearn_compat import Interval, validate_params

_TREE_PARAMS = {
    "children": ["array-like"],
    "labels": ["array-like"],
    "beta": [Interval(Real, 0, None, closed="neither")],
    "n_classes": [Interval(Integral, 1, None, closed="left"), None],
}


@validate_params({"counts": ["array-like"]}, prefer_skip_nested_validation=True)
def label_proportion_bounds(counts):
    """Confidence bounds on the proportion of each label in each cluster.

    Dasgupta & Hsu (2008) bound the true proportion :math:`p_{v,l}` of label
    :math:`l` in cluster :math:`v` from the :math:`n_v` labels seen in it
    and their proportions :math:`\\hat p_{v,l}`:

    .. math:: \\hat p_{v,l} \\pm \\Delta_{v,l}, \\qquad
              \\Delta_{v,l} = \\frac{1}{n_v}
              + \\sqrt{\\frac{\\hat p_{v,l} (1 - \\hat p_{v,l})}{n_v}},

    clipped to ``[0, 1]``; a cluster with no label has bounds 0 and 1.

    Parameters
    ----------
    counts : array-like of shape (n_clusters, n_classes)
        How many labeled samples of each class each cluster holds.

    Returns
    -------
    lower : ndarray of shape (n_clusters, n_classes)
        Lower bounds.

    upper : ndarray of shape (n_clusters, n_classes)
        Upper bounds.

    Examples
    --------
    >>> from skactive.acquisition import label_proportion_bounds
    >>> lower, upper = label_proportion_bounds([[4, 0], [0, 0]])
    >>> lower
    array([[0.75, 0.  ],
           [0.  , 0.  ]])
    >>> upper
    array([[1.  , 0.25],
           [1.  , 1.  ]])
    """
    counts = check_array(counts, dtype=np.float64, input_name="counts")
    if (counts < 0).any():
        raise ValueError("counts must be non-negative: they count labels.")
    return _bounds(counts)


def _bounds(counts):
    """:func:`label_proportion_bounds` of checked counts."""
    n = counts.sum(axis=1, keepdims=True)
    seen = n[:, 0] > 0
    p = np.divide(counts, n, out=np.zeros_like(counts), where=n > 0)
    delta = np.divide(1.0 + np.sqrt(p * (1.0 - p) * n), n,
                      out=np.ones_like(counts), where=n > 0)
    lower = np.where(seen[:, None], np.clip(p - delta, 0.0, 1.0), 0.0)
    upper = np.where(seen[:, None], np.clip(p + delta, 0.0, 1.0), 1.0)
    return lower, upper


@validate_params(
    {"lower": ["array-like"], "upper": ["array-like"],
     "beta": [Interval(Real, 0, None, closed="neither")]},
    prefer_skip_nested_validation=True,
)
def admissible_labels(lower, upper, *, beta=2.0):
    """Which labels a cluster may be given with confidence.

    Label :math:`l` is admissible for cluster :math:`v` (Dasgupta & Hsu,
    2008) when its error bound beats every other label's by a factor
    ``beta``:

    .. math:: 1 - p^{LB}_{v,l} < \\beta \\min_{l' \\ne l} (1 - p^{UB}_{v,l'}).

    With a single class, its label is always admissible.

    Parameters
    ----------
    lower, upper : array-like of shape (n_clusters, n_classes)
        Bounds from :func:`label_proportion_bounds`.

    beta : float, default=2.0
        How much worse than the best alternative an admissible label's
        error may be; larger admits more labels.

    Returns
    -------
    admissible : ndarray of bool, shape (n_clusters, n_classes)
        True where the label is admissible for the cluster.

    Examples
    --------
    >>> from skactive.acquisition import admissible_labels
    >>> admissible_labels([[0.75, 0.0]], [[1.0, 0.25]])
    array([[ True, False]])
    """
    lower = check_array(lower, dtype=np.float64, input_name="lower")
    upper = check_array(upper, dtype=np.float64, input_name="upper")
    if lower.shape != upper.shape:
        raise ValueError(f"lower has shape {lower.shape} but upper has shape "
                         f"{upper.shape}: pass the two bounds of the same clusters.")
    return _admissible(lower, upper, beta)


def _admissible(lower, upper, beta):
    """:func:`admissible_labels` of checked bounds."""
    if lower.shape[1] == 1:
        return np.ones(lower.shape, dtype=bool)
    alternative = 1.0 - upper
    order = np.sort(alternative, axis=1)
    lowest, second = order[:, :1], order[:, 1:2]
    # The best other label: the lowest error, unless it is l's own.
    others = np.where(alternative == lowest, second, lowest)
    return 1.0 - lower < beta * others


def _check_tree(children, labels, n_classes):
    # Integer arrays (a sampler's own tree and codes) need no conversion.
    if not (isinstance(labels, np.ndarray) and labels.dtype.kind == "i"):
        labels = check_array(labels, ensure_2d=False, dtype=None, input_name="labels")
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("labels must be a 1d array of integer class codes, "
                         "-1 for an unlabeled leaf.")
    n_leaves = labels.shape[0]
    if not (isinstance(children, np.ndarray) and children.dtype.kind == "i"):
        children = check_array(children, dtype=None, ensure_min_samples=0,
                               input_name="children")
    expected = (n_leaves - 1, 2)
    if children.shape != expected or not np.issubdtype(children.dtype, np.integer):
        raise ValueError(
            f"children must be integer pairs of shape {expected} for "
            f"{n_leaves} leaves (AgglomerativeClustering's children_ of a full "
            f"tree), got shape {children.shape}.")
    ids = n_leaves + np.arange(n_leaves - 1)
    if n_leaves > 1 and ((children < 0).any() or (children >= ids[:, None]).any()
                         or np.bincount(children.ravel()).max() > 1):
        raise ValueError("children is not a binary tree: node n_leaves + i must "
                         "merge two distinct earlier nodes, each merged once.")
    if labels.min() < -1:
        raise ValueError("labels must be class codes >= 0, or -1 for unlabeled.")
    if n_classes is None:
        n_classes = max(int(labels.max()) + 1, 1)
    elif labels.max() >= n_classes:
        raise ValueError(f"labels hold the code {labels.max()}, but "
                         f"n_classes={n_classes}.")
    return children.astype(np.intp), labels, n_classes


def _levels(children):
    """Internal nodes grouped by height, lowest first: the nodes of one level
    depend only on lower levels, so each level is one vector operation."""
    n_leaves = children.shape[0] + 1
    height = [0] * (2 * n_leaves - 1)
    for i, (a, b) in enumerate(children.tolist()):
        height[n_leaves + i] = 1 + max(height[a], height[b])
    internal = np.asarray(height[n_leaves:], dtype=np.intp)
    order = np.argsort(internal, kind="stable")
    bounds = np.flatnonzero(np.diff(internal[order])) + 1
    return np.split(order, bounds) if order.size else []


def _counts_and_sizes(children, labels, n_classes, levels):
    """Labels of each class and leaves under every node, bottom-up."""
    n_leaves = labels.shape[0]
    counts = np.zeros((2 * n_leaves - 1, n_classes))
    seen = np.flatnonzero(labels >= 0)
    counts[seen, labels[seen]] = 1.0
    sizes = np.ones(2 * n_leaves - 1)
    for level in levels:
        a, b = children[level, 0], children[level, 1]
        counts[n_leaves + level] = counts[a] + counts[b]
        sizes[n_leaves + level] = sizes[a] + sizes[b]
    return counts, sizes


def _best_splits(children, counts, sizes, admissible, levels):
    """Each node's adjusted error, best label and whether splitting it into
    its children's best prunings lowers the error (bottom-up)."""
    n_leaves = children.shape[0] + 1
    n = counts.sum(axis=1, keepdims=True)
    p = np.divide(counts, n, out=np.full_like(counts, 1.0 / counts.shape[1]),
                  where=n > 0)
    error = np.where(admissible, 1.0 - p, 1.0)
    best = np.argmin(error, axis=1)
    score = error[np.arange(error.shape[0]), best]
    has_admissible = admissible.any(axis=1)
    split = np.zeros(error.shape[0], dtype=bool)
    for level in levels:
        a, b, v = children[level, 0], children[level, 1], n_leaves + level
        below = (sizes[a] * score[a] + sizes[b] * score[b]) / sizes[v]
        better = has_admissible[v] & (below < score[v])
        score[v[better]], split[v[better]] = below[better], True
    majority = np.argmax(counts, axis=1)
    return np.where(has_admissible, best, -1), split, majority


@validate_params(_TREE_PARAMS, prefer_skip_nested_validation=True)
def hierarchical_pruning(children, labels, *, beta=2.0, n_classes=None):
    """The best admissible pruning of a cluster tree, and its labels.

    Dasgupta & Hsu (2008): each node gets the labels seen among its leaves,
    the bounds of :func:`label_proportion_bounds` and the admissible labels
    of :func:`admissible_labels`; its adjusted error is
    :math:`1 - \\hat p_{v,l}` for its best admissible label (1 when none
    is). Bottom-up, a node with an admissible label is split when the
    leaf-weighted error of its children's best prunings is lower than its
    own. The pruning is read top-down from the root, following the splits;
    a pruning node with no admissible label takes its parent's label (the
    root, its majority label, ties to the lowest code).

    Parameters
    ----------
    children : array-like of shape (n_leaves - 1, 2)
        The tree, as ``AgglomerativeClustering(...).fit(X).children_`` of a
        full tree.

    labels : array-like of shape (n_leaves,)
        Class code of each leaf, ``-1`` when unlabeled.

    beta : float, default=2.0
        Width of the admissibility test (see :func:`admissible_labels`).

    n_classes : int, default=None
        Number of classes; None means ``labels.max() + 1``.

    Returns
    -------
    pruning : ndarray of shape (n_nodes,)
        Node ids of the pruning, ascending; their leaves partition the
        samples.

    pruning_labels : ndarray of shape (n_nodes,)
        The class code of each pruning node.

    Examples
    --------
    >>> from skactive.acquisition import hierarchical_pruning
    >>> children = [[2 * i, 2 * i + 1] for i in range(15)]  # 16 leaves, root 30
    >>> hierarchical_pruning(children, [0] * 10 + [1] * 6)  # split at the root
    (array([28, 29]), array([0, 1]))
    >>> hierarchical_pruning(children, [0] * 8 + [1] * 8)  # no admissible label
    (array([30]), array([0]))
    """
    children, labels, n_classes = _check_tree(children, labels, n_classes)
    return _pruning(children, labels, beta, n_classes)[:2]


def _pruning(children, labels, beta, n_classes):
    levels = _levels(children)
    counts, sizes = _counts_and_sizes(children, labels, n_classes, levels)
    lower, upper = _bounds(counts)
    best, split, majority = _best_splits(
        children, counts, sizes, _admissible(lower, upper, beta), levels)
    n_leaves = labels.shape[0]
    root = 2 * n_leaves - 2
    root_label = best[root] if best[root] >= 0 else majority[root]
    pruning, pruning_labels, stack = [], [], [(root, root_label)]
    while stack:
        v, inherited = stack.pop()
        label = best[v] if best[v] >= 0 else inherited
        if split[v]:
            stack.extend((child, label) for child in children[v - n_leaves])
        else:
            pruning.append(v)
            pruning_labels.append(label)
    order = np.argsort(pruning)
    pruning = np.asarray(pruning, dtype=np.intp)[order]
    pruning_labels = np.asarray(pruning_labels, dtype=np.intp)[order]
    return pruning, pruning_labels, lower, sizes, levels


def _owners(children, pruning, n_leaves, levels):
    """The pruning node above each leaf, top-down one level at a time."""
    owner = np.full(2 * n_leaves - 1, -1, dtype=np.intp)
    owner[pruning] = pruning
    for level in reversed(levels):
        above = owner[n_leaves + level]
        below = above >= 0
        owner[children[level[below], 0]] = above[below]
        owner[children[level[below], 1]] = above[below]
    return owner[:n_leaves]


def _node_weights(children, labels, beta, n_classes):
    """Pruning nodes, the owner of each leaf and each node's sampling weight:
    its number of leaves times ``1 - lower bound of its label``."""
    pruning, pruning_labels, lower, sizes, levels = _pruning(children, labels, beta,
                                                             n_classes)
    owners = _owners(children, pruning, labels.shape[0], levels)
    weights = sizes[pruning] * (1.0 - lower[pruning, pruning_labels])
    return pruning, owners, weights


@validate_params(_TREE_PARAMS, prefer_skip_nested_validation=True)
def hierarchical_probabilities(children, labels, *, beta=2.0, n_classes=None):
    """Probability that each leaf is the next one hierarchical sampling draws.

    The node of the pruning (:func:`hierarchical_pruning`) is drawn with
    probability proportional to its number of leaves times
    :math:`1 - p^{LB}_{v,L(v)}`, the upper bound of its error, among the
    nodes that still hold an unlabeled leaf; then one of its unlabeled
    leaves uniformly.

    Parameters
    ----------
    children : array-like of shape (n_leaves - 1, 2)
        The tree (``AgglomerativeClustering.children_``).

    labels : array-like of shape (n_leaves,)
        Class code of each leaf, ``-1`` when unlabeled.

    beta : float, default=2.0
        Width of the admissibility test.

    n_classes : int, default=None
        Number of classes; None means ``labels.max() + 1``.

    Returns
    -------
    probabilities : ndarray of shape (n_leaves,)
        0 for labeled leaves; they sum to 1 when any leaf is unlabeled.

    Examples
    --------
    >>> from skactive.acquisition import hierarchical_probabilities
    >>> children = [[0, 1], [2, 3], [4, 5]]
    >>> hierarchical_probabilities(children, [0, -1, -1, -1])
    array([0.        , 0.33333333, 0.33333333, 0.33333333])
    """
    children, labels, n_classes = _check_tree(children, labels, n_classes)
    pruning, owners, weights = _node_weights(children, labels, beta, n_classes)
    return _leaf_probabilities(pruning, owners, weights, labels < 0)


def _leaf_probabilities(pruning, owners, weights, unlabeled):
    position = np.searchsorted(pruning, owners)
    left = np.bincount(position, weights=unlabeled, minlength=pruning.shape[0])
    weights = np.where(left > 0, weights, 0.0)
    total = weights.sum()
    if total == 0:
        return np.zeros(owners.shape[0])
    per_leaf = np.divide(weights, left, out=np.zeros_like(weights), where=left > 0)
    return np.where(unlabeled, per_leaf[position] / total, 0.0)


@validate_params(
    {**_TREE_PARAMS, "n_select": [Interval(Integral, 1, None, closed="left")],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def hierarchical_sampling(children, labels, n_select, *, beta=2.0, n_classes=None,
                          random_state=None):
    """A batch of hierarchical sampling (Dasgupta & Hsu, 2008).

    With the pruning of :func:`hierarchical_pruning` fixed for the batch,
    each pick draws a pruning node with probability proportional to its
    number of leaves times :math:`1 - p^{LB}_{v,L(v)}` (among the nodes that
    still hold an unlabeled leaf not yet picked), then one of those leaves
    uniformly: two draws from ``random_state`` per pick, ``uniform()`` for
    the node (through the cumulative weights, nodes in ascending id) and
    ``randint`` for the leaf (among the node's remaining leaves,
    ascending).

    Parameters
    ----------
    children : array-like of shape (n_leaves - 1, 2)
        The tree (``AgglomerativeClustering.children_``).

    labels : array-like of shape (n_leaves,)
        Class code of each leaf, ``-1`` when unlabeled.

    n_select : int
        Number of picks, at most the number of unlabeled leaves.

    beta : float, default=2.0
        Width of the admissibility test.

    n_classes : int, default=None
        Number of classes; None means ``labels.max() + 1``.

    random_state : int, RandomState instance or None, default=None
        Seeds the draws.

    Returns
    -------
    indices : ndarray of shape (n_select,)
        Unlabeled leaves, in the order drawn.

    Examples
    --------
    >>> from skactive.acquisition import hierarchical_sampling
    >>> children = [[0, 1], [2, 3], [4, 5]]
    >>> hierarchical_sampling(children, [0, -1, 1, -1], 2, random_state=0)
    array([3, 1])
    """
    children, labels, n_classes = _check_tree(children, labels, n_classes)
    unlabeled = labels < 0
    if n_select > unlabeled.sum():
        raise ValueError(f"n_select={n_select} is larger than the number of "
                         f"unlabeled leaves ({unlabeled.sum()}).")
    pruning, owners, weights = _node_weights(children, labels, beta, n_classes)
    position = np.searchsorted(pruning, owners)
    rng = check_random_state(random_state)
    available = unlabeled.copy()
    picks = np.empty(n_select, dtype=np.intp)
    for k in range(n_select):
        left = np.bincount(position, weights=available, minlength=pruning.shape[0])
        cumulative = np.cumsum(np.where(left > 0, weights, 0.0))
        node = int(np.searchsorted(cumulative, rng.uniform() * cumulative[-1],
                                   side="right"))
        node = min(node, int(np.flatnonzero(left > 0)[-1]))
        members = np.flatnonzero(available & (position == node))
        picks[k] = members[rng.randint(members.shape[0])]
        available[picks[k]] = False
    return picks
