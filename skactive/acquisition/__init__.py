"""Acquisition functions: the formulas, as pure functions on arrays.

Each uncertainty function returns exactly the value of its formula, in the
direction the formula has (for :func:`margin`, :func:`probability_variance`
and :func:`decision_margin`, lower means more uncertain). The samplers map them
to one direction: higher means pick first. The diversity functions
(:func:`round_robin`, :func:`k_center_greedy`, :func:`typiclust`,
:func:`closest_to_centers`) return an order of the pool or a batch, from
embeddings and clusterings given as arrays.
The committee functions (:func:`vote_entropy`; :func:`bald`, which is also
the mean KL divergence to the consensus; :func:`prediction_variance` for
regression) measure disagreement between models, :func:`greedy_sampling` is
GSx, GSy and iGS for regression, :func:`multilabel_uncertainty`,
:func:`max_loss`, :func:`mean_max_loss` and :func:`mmc` score multilabel
probabilities (:func:`label_probabilities` reads them from a model,
:func:`label_count_model` predicts MMC's number of labels),
:func:`expected_cost` weighs mistakes by a cost matrix, :func:`group_scores`
and :func:`mean_object_confidence` turn per-detection values into per-image
ones. :func:`badge` is BADGE's batch from the factors of the gradient
embedding (:func:`gradient_embedding_factors`, seeded by
:func:`factored_kmeans_plusplus`; :func:`gradient_embedding` forms the
matrix for checking); :func:`probcover` is ProbCover's greedy
:func:`max_coverage` of the balls of a :func:`coverage_graph`, with the
radius from :func:`purity_radius` (the largest whose :func:`ball_purity`
stays high). :func:`expected_error` is expected error reduction's
criterion from the refitted models' probabilities (:func:`future_error` per
sample; :func:`gaussian_nb_future_probabilities` refits a Gaussian naive
Bayes model in closed form), :func:`variance_reduction` the variance
reduction of a logistic regression from its :func:`fisher_information`.
Two selections from any sampler's scores, :func:`select_groups` (whole
images instead of detections) and :func:`select_within_budget` (samples
that cost differently), are also exported by :mod:`skactive`, where the
samplers are.
"""

# SPDX-License-Identifier: BSD-3-Clause

from ._badge import (
    badge,
    factored_kmeans_plusplus,
    gradient_embedding,
    gradient_embedding_factors,
)
from ._budget import select_within_budget
from ._committee import bald, vote_entropy
from ._diversity import (
    closest_to_centers,
    composable_k_center_greedy,
    k_center_greedy,
    round_robin,
    round_robin_quotas,
    typicality,
    typiclust,
)
from ._error_reduction import (
    expected_error,
    fisher_information,
    future_error,
    gaussian_nb_future_probabilities,
    variance_reduction,
)
from ._groups import group_scores, mean_object_confidence, select_groups
from ._multilabel import (
    label_count_model,
    label_probabilities,
    max_loss,
    mean_max_loss,
    mmc,
    multilabel_uncertainty,
)
from ._probcover import (
    ball_purity,
    coverage_graph,
    max_coverage,
    probcover,
    purity_radius,
)
from ._regression import greedy_distances, greedy_sampling, prediction_variance
from ._uncertainty import (
    decision_margin,
    entropy,
    expected_cost,
    least_confidence,
    margin,
    probability_variance,
    ratio,
)

__all__ = [
    "badge",
    "bald",
    "ball_purity",
    "closest_to_centers",
    "composable_k_center_greedy",
    "coverage_graph",
    "decision_margin",
    "entropy",
    "expected_cost",
    "expected_error",
    "fisher_information",
    "future_error",
    "gaussian_nb_future_probabilities",
    "factored_kmeans_plusplus",
    "gradient_embedding",
    "gradient_embedding_factors",
    "greedy_distances",
    "greedy_sampling",
    "group_scores",
    "k_center_greedy",
    "label_count_model",
    "label_probabilities",
    "least_confidence",
    "margin",
    "max_coverage",
    "max_loss",
    "mean_max_loss",
    "mean_object_confidence",
    "mmc",
    "multilabel_uncertainty",
    "prediction_variance",
    "probability_variance",
    "probcover",
    "purity_radius",
    "ratio",
    "round_robin",
    "round_robin_quotas",
    "select_groups",
    "select_within_budget",
    "typiclust",
    "typicality",
    "variance_reduction",
    "vote_entropy",
]
