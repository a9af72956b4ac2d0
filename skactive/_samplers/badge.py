"""BADGE: batches of diverse gradient embeddings of a classifier's last layer."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import replace

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import SGDClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.utils import check_array
from sklearn.utils.extmath import row_norms, safe_sparse_dot
from sklearn.utils.validation import check_is_fitted

from ..acquisition import factored_kmeans_plusplus, gradient_embedding_factors
from ..utils._selection import scaled_for_distances, tie_seed, unscaled
from ..utils._sklearn_compat import HasMethods, _fit_context
from ..utils._validation import check_one_label_per_sample
from .chunked import ChunkedSampler, _inherit_input_tags, _warn_single_class
from .uncertainty import _split_pipeline

_HIDDEN_ACTIVATIONS = {
    "identity": lambda H: H,
    "logistic": expit,
    "tanh": np.tanh,
    "relu": lambda H: np.maximum(H, 0.0, out=H),
}


def _last_hidden_layer(network, X):
    """The activations of a fitted MLPClassifier's last hidden layer."""
    H = X
    for weights, intercepts in zip(network.coefs_[:-1], network.intercepts_[:-1]):
        H = safe_sparse_dot(H, weights, dense_output=True) + intercepts
        H = _HIDDEN_ACTIVATIONS[network.activation](H)
    return H


def _factors_chunk(X, *, estimator, layer):
    """Both factors of the gradient embedding of a chunk, side by side
    (``residuals`` first): dense, or CSR for sparse features."""
    steps, final = _split_pipeline(estimator)
    if steps is not None:
        X = steps.transform(X)
    X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32],
                    input_name="X")
    if layer == "hidden_layer":
        output, inputs = final.predict_proba(X), _last_hidden_layer(final, X)
    elif layer == "one_vs_rest":
        output, inputs = expit(final.decision_function(X)), X
    else:
        output, inputs = final.predict_proba(X), X
    residuals, features = gradient_embedding_factors(output, inputs)
    if sp.issparse(features):
        return sp.hstack([sp.csr_matrix(residuals), features], format="csr")
    return np.hstack([residuals, features])


def _output_layer(final, n_classes):
    """Which layer's inputs the gradient is taken at, for the final model."""
    if isinstance(final, MLPClassifier):
        return "hidden_layer"
    if isinstance(final, SGDClassifier) and n_classes > 2:
        return "one_vs_rest"  # one logistic loss per class
    return "features"


class BadgeSampler(ChunkedSampler):
    """Batch Active learning by Diverse Gradient Embeddings (BADGE).

    Ash et al. (2020): each pool sample is embedded as the gradient of the
    log loss with respect to the classifier's last linear layer, at the
    model's own predicted label, and the batch is a k-means++ seeding of
    those embeddings. For class probabilities :math:`p` and the inputs
    :math:`x` of the last layer, the gradient is

    .. math:: g(x) = (p - e_{\\hat y}) \\otimes [x, 1], \\qquad
              \\hat y = \\arg\\max_c p_c,

    (one row :math:`p_1 - [\\hat y = 1]` for a binary model, whose ``coef_``
    has one row; see
    :func:`~skactive.acquisition.gradient_embedding_factors). Its norm,
    :math:`\\lVert p - e_{\\hat y} \\rVert \\, \\lVert [x, 1] \\rVert`, grows
    with the uncertainty; the k-means++ draws (each next pick with
    probability proportional to its squared distance to the picks so far)
    spread the batch over different gradients. The embedding is never
    formed: distances come from its two factors
    (:func:`~skactive.acquisition.factored_kmeans_plusplus`), so memory is
    the pool's features plus O(n_samples), not ``n_samples x n_classes
    n_features``.

    What :math:`x` is depends on the final model (the last step of a
    :class:`~sklearn.pipeline.Pipeline`):

    - a linear model (``LogisticRegression``, ``SGDClassifier(loss="log_loss")``,
      ...): the features it sees, the output of the pipeline's other steps.
      ``SGDClassifier`` fits one logistic loss per class (one-vs-rest), so
      its gradient takes the sigmoid of each class's decision value for
      :math:`p`;
    - an :class:`~sklearn.neural_network.MLPClassifier`: its last hidden
      layer, the input of its output layer;
    - any other classifier with ``predict_proba``: the features it sees, as
      for a linear model; the embedding is then BADGE's construction on
      those features, not a gradient of that model.

    Scores (higher = select earlier) are the gradient norms: the first pick
    of :meth:`select` is the highest score; the next ones are drawn, so the
    batch is not the top of the scores.

    Parameters
    ----------
    estimator : classifier
        With ``predict_proba``; may be a :class:`~sklearn.pipeline.Pipeline`.
        A clone is fitted in :meth:`fit`; a
        :class:`~sklearn.frozen.FrozenEstimator` is used as it is.

    chunk_size : int, default=None
        Pool rows embedded at once (per worker), and compared with a new
        pick at once. None picks it from
        ``sklearn.get_config()["working_memory"]``.

    n_jobs : int, default=None
        Number of jobs embedding chunks of the pool in parallel through
        joblib. Results do not depend on it.

    random_state : int, RandomState instance or None, default=None
        Seeds the k-means++ draws (and the random order used when the
        labeled data hold a single class). Pass an int for the same batch at
        every call.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone of ``estimator`` (``estimator`` itself when
        frozen).

    layer_ : {"features", "one_vs_rest", "hidden_layer", "random"}
        Where the gradient is taken: the features with the model's
        probabilities, the features with one sigmoid per class, an MLP's last
        hidden layer; ``"random"`` when the labeled data held a single class
        (the pool is then ranked in random order).

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    skactive.HybridSampler : Uncertainty and diversity from two samplers.
    skactive.acquisition.badge : The same batch from probabilities and
        features.

    References
    ----------
    Ash, J. T., Zhang, C., Krishnamurthy, A., Langford, J., & Agarwal, A.
    (2020). Deep batch active learning by diverse, uncertain gradient lower
    bounds. ICLR.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import BadgeSampler
    >>> X, y = load_digits(return_X_y=True)
    >>> sampler = BadgeSampler(LogisticRegression(), random_state=0)
    >>> sampler.fit(X[:100] / 16, y[:100]).select(X[100:] / 16, batch_size=5).shape
    (5,)
    """

    _parameter_constraints: dict = {
        **ChunkedSampler._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict_proba"])],
    }

    def __init__(self, estimator, *, chunk_size=None, n_jobs=None, random_state=None):
        self.estimator = estimator
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit a clone of the classifier on the labeled data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples, in any form the estimator accepts.

        y : array-like of shape (n_samples,)
            Their labels, one class per sample.

        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        self._validate_labeled(X, y)
        check_one_label_per_sample(
            y, "BadgeSampler",
            "the gradient embedding is that of a classifier's log loss. For "
            "regression use GreedySampler; for a multilabel y, "
            "UncertaintySampler.")
        self.estimator_ = clone(self.estimator)
        if isinstance(self.estimator_, FrozenEstimator):
            n_classes = len(self.estimator_.classes_)
        else:
            n_classes = np.unique(np.asarray(y)).shape[0]
            if n_classes > 1:
                self.estimator_.fit(X, y, **fit_params)
        if n_classes < 2:
            _warn_single_class()
            self.layer_ = "random"
        else:
            self.layer_ = _output_layer(_split_pipeline(self.estimator_)[1], n_classes)
        return self

    def gradient_embedding_factors(self, X):
        """The two factors of the pool's gradient embeddings.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Pool samples, in any form the estimator accepts.

        Returns
        -------
        residuals : ndarray of shape (n_samples, n_residuals)
            The first factor, ``p - onehot(argmax p)`` (one column for a
            binary model).

        features : {ndarray, sparse matrix} of shape (n_samples, n_inputs + 1)
            The inputs of the last layer, and a column of ones; row ``i`` of
            the embedding is ``np.outer(residuals[i], features[i]).ravel()``.
        """
        self._check_embeds()
        return self._factors(self._validate_pool(X))

    def _check_embeds(self):
        check_is_fitted(self)
        if self.layer_ == "random":
            raise ValueError(
                "The labeled data held a single class, so no classifier was "
                "fitted and there is no gradient: label a second class.")

    def _factors(self, X):
        n_features = getattr(self, "n_features_in_", 1)
        joined = self._map_chunks(_factors_chunk, X, row_bytes=32 * (n_features + 8),
                                  estimator=self.estimator_, layer=self.layer_)
        n_residuals = self._n_residuals()
        residuals = joined[:, :n_residuals]
        if sp.issparse(joined):
            residuals = residuals.toarray()
        return np.asarray(residuals), joined[:, n_residuals:]

    def _n_residuals(self):
        n_classes = len(self.estimator_.classes_)
        return 1 if n_classes == 2 else n_classes

    def _inner_validates(self):
        return self.layer_ != "random"

    def _score(self, X):
        if self.layer_ == "random":
            return self._random_ranking(X)
        residuals, features = self._factors(X)
        scale, (features,) = scaled_for_distances(features)
        return unscaled(row_norms(residuals) * row_norms(features), scale)

    def _select(self, X, batch_size):
        if self.layer_ == "random":
            return self._random_ranking(
                X, top=(batch_size, tie_seed(self.random_state)))
        residuals, features = self._factors(X)
        return factored_kmeans_plusplus(residuals, features, batch_size,
                                        random_state=self.random_state,
                                        chunk_size=self.chunk_size)

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), ranking=False,
                       task_types={"classification"})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return _inherit_input_tags(tags, [self.estimator],
                                   ("allow_nan", "sparse", "string", "categorical"))
