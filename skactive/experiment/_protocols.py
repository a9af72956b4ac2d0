"""Published benchmark protocols, by name, for :func:`run_benchmark`."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import dataclass

from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from ..exceptions import ParameterError
from ..utils._sklearn_compat import validate_params


@dataclass(frozen=True)
class Protocol:
    """The settings of a published benchmark protocol.

    Each repeat ``r`` uses the seed ``random_state + r``: it draws a
    stratified test set of ``test_size``, standardises the features with a
    ``StandardScaler`` fitted on the rest (the pool, its labels unused), and
    runs :func:`run_experiment` on that pool with ``initial_size`` initial
    labels, batches of ``batch_size`` and the whole pool as budget.

    Parameters
    ----------
    name : str
        The name ``run_benchmark(protocol=...)`` takes.

    reference : str
        The paper.

    test_size : float
        Fraction of each data set drawn as the test set, per seed.

    initial_size : int
        Initial labeled samples.

    batch_size : int
        Labels per round.

    kernel, gamma : str
        Of the task model, :class:`sklearn.svm.SVC`.
    """

    name: str
    reference: str
    test_size: float = 0.4
    initial_size: int = 20
    batch_size: int = 1
    kernel: str = "rbf"
    gamma: str = "auto"

    def estimator(self):
        """The task model, a new unfitted ``SVC``."""
        from sklearn.svm import SVC

        return SVC(kernel=self.kernel, gamma=self.gamma)

    def split(self, X, y, seed):
        """The standardised pool and test set of one seed.

        Returns
        -------
        X_pool, X_test, y_pool, y_test : ndarray
            The test set is stratified; the scaler is fitted on ``X_pool``.
        """
        X_pool, X_test, y_pool, y_test = train_test_split(
            X, y, test_size=self.test_size, random_state=seed, stratify=y)
        scaler = StandardScaler().fit(X_pool)
        return scaler.transform(X_pool), scaler.transform(X_test), y_pool, y_test

    def settings(self):
        """The protocol's settings as (name, text) pairs, for the report."""
        return [
            ("protocol", f"{self.name}: {self.reference}"),
            ("test size", f"{self.test_size:g} of each data set, stratified, "
             "redrawn per seed (train_test_split(random_state=seed))"),
            ("preprocessing", "StandardScaler fitted on each seed's pool "
             "(features only), applied to the pool and the test set"),
            ("initial size", f"{self.initial_size} (one sample of each class, "
             "then uniformly at random)"),
            ("batch size", str(self.batch_size)),
            ("budget", "the whole pool"),
        ]


PROTOCOLS = {
    "lu2023": Protocol(
        "lu2023", "Lu, Li & Lin (2023), Re-Benchmarking Pool-Based Active "
        "Learning for Binary Classification"),
}


@validate_params({"name": [str]}, prefer_skip_nested_validation=True)
def get_protocol(name):
    """A published benchmark protocol by name, as ``run_benchmark`` runs it.

    Parameters
    ----------
    name : {"lu2023"}
        ``"lu2023"``: Lu, Li & Lin (2023).

    Returns
    -------
    protocol : Protocol
        Its settings (``test_size``, ``initial_size``, ``batch_size``...),
        ``estimator()`` (a new task model, for the samplers to wrap) and
        ``split(X, y, seed)``.

    Examples
    --------
    >>> from skactive.experiment import get_protocol
    >>> get_protocol("lu2023").estimator()
    SVC(gamma='auto')
    """
    if name not in PROTOCOLS:
        raise ParameterError(
            "protocol", name, "is not a known protocol",
            f"one of {', '.join(PROTOCOLS)}",
            message=f"Unknown protocol {name!r}: the known ones are "
            f"{', '.join(PROTOCOLS)}.")
    return PROTOCOLS[name]
