"""Warnings and errors that skactive raises."""

# SPDX-License-Identifier: BSD-3-Clause

__all__ = ["ParameterError", "SingleClassWarning", "StateFileError"]


class SingleClassWarning(UserWarning):
    """The labeled data hold a single class, so no classifier can be trained.

    Model-based samplers then rank the pool in a random order seeded by their
    ``random_state`` until a second class is labeled. A cold start often
    begins this way; silence the warning with :mod:`warnings` filters on this
    class.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import UncertaintySampler
    >>> from skactive.exceptions import SingleClassWarning
    >>> X = np.arange(10.0).reshape(5, 2)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = UncertaintySampler(LogisticRegression()).fit(X, [1, 1, 1, 1, 1])
    >>> caught[0].category.__name__
    'SingleClassWarning'
    """


class ParameterError(ValueError):
    """A parameter's value that the data at hand cannot serve.

    The message names the parameter as the function spells it
    (``batch_size=500 is larger than ...``). The attributes say the same in
    parts, so that an interface naming its options otherwise (the command
    line's ``--batch-size``) words the error itself, without reading the
    message.

    Parameters
    ----------
    param : str
        The parameter at fault, as the function spells it.

    value : object
        The value passed.

    problem : str
        What is wrong with the value: a phrase that follows the parameter
        and its value, and names no parameter.

    fix : str, default=""
        What to pass instead, naming no parameter ("at most 67"); empty when
        the remedy lies in other parameters.

    message : str, default=None
        The message, when ``"{param}={value} {problem}: pass {fix}."`` does
        not say all the function has to say (other parameters that serve).

    Attributes
    ----------
    param : str
        The parameter at fault.

    value : object
        The value passed.

    problem : str
        What is wrong with the value.

    fix : str
        What to pass instead.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import RandomSampler
    >>> from skactive.exceptions import ParameterError
    >>> from skactive.experiment import run_experiment
    >>> X, y = load_iris(return_X_y=True)
    >>> try:
    ...     run_experiment(LogisticRegression(), {"random": RandomSampler()},
    ...                    X, y, batch_size=500)
    ... except ParameterError as exc:
    ...     print(exc.param, exc.value, exc.fix)
    batch_size 500 at most 56
    """

    def __init__(self, param, value, problem, fix="", *, message=None):
        self.param, self.value, self.problem, self.fix = param, value, problem, fix
        if message is None:
            message = f"{param}={value!r} {problem}" + (f": pass {fix}." if fix
                                                        else ".")
        super().__init__(message)


class StateFileError(ValueError):
    """A state file that cannot be used as it is.

    It is not a skactive state (a pickle written by an older skactive
    included: it is never unpickled), is of another kind, was corrupted or
    truncated, was written for other data, or was changed on disk by
    another writer in a way that cannot be merged. Nothing is reset or
    overwritten when it is raised: the message names the file and says what
    to do. A ``ValueError``, so that code catching bad input catches it too.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skactive.exceptions import StateFileError
    >>> from skactive.labeling import LabelingPool
    >>> path = Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = path.write_text("not a pool")
    >>> try:
    ...     LabelingPool.load(path, ["a text", "another"])
    ... except StateFileError as exc:
    ...     print(str(exc).replace(str(path.parent), "<folder>"))
    <folder>/notes.txt is not a skactive state file, or it was truncated or
    corrupted: pass the file that save() wrote, or restore it from a backup.
    """
