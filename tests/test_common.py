"""scikit-learn's estimator checks on every public sampler."""

from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactive import RandomSampler, UncertaintySampler

RANDOM_SCORES = (
    "scores are uniform draws for the pool as a whole, so a sample's score "
    "depends on its position in the pool, by design"
)


def _expected_failed_checks(estimator):
    if isinstance(estimator, RandomSampler):
        return {
            "check_methods_subset_invariance": RANDOM_SCORES,
            "check_methods_sample_order_invariance": RANDOM_SCORES,
        }
    return {}


@parametrize_with_checks(
    [
        RandomSampler(random_state=0),
        UncertaintySampler(LogisticRegression(), random_state=0),
        UncertaintySampler(LogisticRegression(), strategy="entropy"),
        UncertaintySampler(LogisticRegression(), strategy="least_confidence"),
        UncertaintySampler(LogisticRegression(), strategy="ratio"),
        UncertaintySampler(LogisticRegression(), strategy="variance"),
        UncertaintySampler(LinearSVC(), strategy="margin"),
    ],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
