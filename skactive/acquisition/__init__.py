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
stays high). :func:`hierarchical_sampling` is Dasgupta & Hsu's sampling
from the :func:`hierarchical_pruning` of a cluster tree (labels'
:func:`label_proportion_bounds`, :func:`admissible_labels`; the chance of
each leaf, :func:`hierarchical_probabilities`); :func:`margin_cluster_mean`
(MCM: the candidates :func:`within_margin` nearest k-means centers) and
:func:`cluster_proportional_margin` (InfoDiv) shape a margin batch by a
clustering. For a stream, where each sample is labeled now or never,
:func:`random_labeling`, :func:`periodic_labeling`, :func:`fixed_uncertainty`,
:func:`variable_uncertainty`, :func:`randomized_variable_uncertainty` and
:func:`split_variable_uncertainty` decide from each sample's max posterior,
within the labeling budget that :func:`budget_manager` keeps (Žliobaitė et
al., 2014); :func:`density_focused_uncertainty` decides from the margin,
for the samples whose :func:`local_density_factor` says the stream is dense
where they lie (Ienco et al., 2014). :func:`information_density` weighs an
uncertainty by the :func:`mean_similarity` to the pool, :func:`graph_density` and
:func:`graph_density_selection` pick dense, spread samples of a
nearest-neighbour graph, and :func:`pre_clustering`,
:func:`cluster_label_probabilities` and :func:`density_weighted_uncertainty`
are DWUS. :func:`expected_error` is expected error reduction's
criterion from the refitted models' probabilities (:func:`future_error` per
sample; :func:`gaussian_nb_future_probabilities` refits a Gaussian naive
Bayes model in closed form), :func:`variance_reduction` the variance
reduction of a logistic regression from its :func:`fisher_information`.

BMDR and SPAL choose a batch by the quadratic program of
:func:`bmdr_qp_terms` (:func:`worst_case_loss` plus the MMD), solved by
:func:`solve_selection_qp` (or, from the kernel's columns and
:func:`bmdr_linear_term`, by :func:`solve_selection_qp_working_set`),
alternating with the model step :func:`worst_case_kernel_least_squares`;
SPAL's easiness is :func:`self_paced_weights`.

:func:`hintsvm_qp`, :func:`solve_hintsvm` and :func:`hintsvm_decision` are
HintSVM's dual quadratic program, its solution and its decision values.

:func:`exp4p_probabilities`, :func:`exp4p_update` and
:func:`importance_weighted_accuracy` are the bandit of active learning by
learning (ALBL): EXP4.P over strategies, rewarded by the importance-weighted
accuracy.

:func:`lal_features` is the state that learning active learning (LAL)
describes a random forest and a candidate by (:func:`forest_lal_features`
reads it from a forest); :func:`lal_training_set` and :func:`lal_simulation`
simulate, on :func:`make_lal_problem`'s synthetic problems, what labeling
candidates does to the forest's error, :func:`fit_lal_regressor` learns to
predict it, and :func:`load_lal_training_set` is the simulation shipped with
skactive.

:func:`quire_objective` is QUIRE's closed form from kernel matrices (its
:func:`quire_terms`; :func:`quire_log_scores` ranks by it without
rounding small differences away).

Two selections from any sampler's scores, :func:`select_groups` (whole
images instead of detections) and :func:`select_within_budget` (samples
that cost differently), are also exported by :mod:`skactive`, where the
samplers are.
"""

# SPDX-License-Identifier: BSD-3-Clause

from ._albl import (
    exp4p_probabilities,
    exp4p_update,
    importance_weighted_accuracy,
)
from ._badge import (
    badge,
    factored_kmeans_plusplus,
    gradient_embedding,
    gradient_embedding_factors,
)
from ._bmdr import (
    bmdr_linear_term,
    bmdr_qp_terms,
    self_paced_weights,
    solve_selection_qp,
    solve_selection_qp_working_set,
    worst_case_kernel_least_squares,
    worst_case_loss,
)
from ._budget import select_within_budget
from ._committee import bald, vote_entropy
from ._density import (
    cluster_label_probabilities,
    density_weighted_uncertainty,
    graph_density,
    graph_density_selection,
    information_density,
    mean_similarity,
    pre_clustering,
)
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
from ._hierarchical import (
    admissible_labels,
    hierarchical_probabilities,
    hierarchical_pruning,
    hierarchical_sampling,
    label_proportion_bounds,
)
from ._hintsvm import hintsvm_decision, hintsvm_qp, solve_hintsvm
from ._lal import (
    fit_lal_regressor,
    forest_lal_features,
    lal_features,
    lal_simulation,
    lal_training_set,
    load_lal_training_set,
    make_lal_problem,
)
from ._margin_clusters import (
    cluster_proportional_margin,
    margin_cluster_mean,
    within_margin,
)
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
from ._quire import quire_log_scores, quire_objective, quire_terms
from ._regression import greedy_distances, greedy_sampling, prediction_variance
from ._stream import (
    budget_manager,
    density_focused_uncertainty,
    fixed_uncertainty,
    local_density_factor,
    periodic_labeling,
    random_labeling,
    randomized_variable_uncertainty,
    split_variable_uncertainty,
    variable_uncertainty,
)
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
    "admissible_labels",
    "badge",
    "bald",
    "ball_purity",
    "bmdr_linear_term",
    "bmdr_qp_terms",
    "budget_manager",
    "closest_to_centers",
    "cluster_proportional_margin",
    "cluster_label_probabilities",
    "composable_k_center_greedy",
    "coverage_graph",
    "decision_margin",
    "density_focused_uncertainty",
    "density_weighted_uncertainty",
    "entropy",
    "expected_cost",
    "expected_error",
    "exp4p_probabilities",
    "exp4p_update",
    "fisher_information",
    "future_error",
    "gaussian_nb_future_probabilities",
    "factored_kmeans_plusplus",
    "fixed_uncertainty",
    "gradient_embedding",
    "gradient_embedding_factors",
    "graph_density",
    "graph_density_selection",
    "greedy_distances",
    "greedy_sampling",
    "group_scores",
    "hierarchical_probabilities",
    "hintsvm_decision",
    "hintsvm_qp",
    "hierarchical_pruning",
    "hierarchical_sampling",
    "importance_weighted_accuracy",
    "information_density",
    "k_center_greedy",
    "fit_lal_regressor",
    "forest_lal_features",
    "lal_features",
    "lal_simulation",
    "lal_training_set",
    "load_lal_training_set",
    "make_lal_problem",
    "label_count_model",
    "label_proportion_bounds",
    "label_probabilities",
    "least_confidence",
    "local_density_factor",
    "margin",
    "margin_cluster_mean",
    "max_coverage",
    "max_loss",
    "mean_max_loss",
    "mean_object_confidence",
    "mean_similarity",
    "mmc",
    "multilabel_uncertainty",
    "periodic_labeling",
    "pre_clustering",
    "prediction_variance",
    "probability_variance",
    "probcover",
    "purity_radius",
    "quire_log_scores",
    "quire_objective",
    "quire_terms",
    "random_labeling",
    "randomized_variable_uncertainty",
    "ratio",
    "round_robin",
    "round_robin_quotas",
    "select_groups",
    "select_within_budget",
    "self_paced_weights",
    "solve_selection_qp",
    "solve_hintsvm",
    "solve_selection_qp_working_set",
    "split_variable_uncertainty",
    "typiclust",
    "typicality",
    "variable_uncertainty",
    "variance_reduction",
    "vote_entropy",
    "within_margin",
    "worst_case_kernel_least_squares",
    "worst_case_loss",
]
