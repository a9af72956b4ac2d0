"""A :class:`LabelingPool` on disk: its state as data, and saves that merge.

The state file is JSON written by :func:`~skactive.utils._state.write_state`
(checksummed, atomic): the labels of the labeled samples, the pending
requests, the history, the settings and a fingerprint of ``X``, never ``X``
itself and never a pickle.

Concurrent writers: every save holds the file's write lock
(:func:`~skactive.utils._files.locked`) from reading the write counter on
disk to replacing the file. A pool remembers the counter of the state it
last loaded or saved, and, in a *journal*, the value each sample had before
this pool first changed it since then. If the counter on disk is still that
one, the save writes the next; if another writer saved in between, the save
merges: it replays the journal onto the state on disk, sample by sample (a
sample the other writer left as it was takes this pool's value; one that
both changed must have been given the same value), and refuses with
:class:`~skactive.exceptions.StateFileError` only when both gave a sample
different labels.
"""

# SPDX-License-Identifier: BSD-3-Clause

from pathlib import Path

import numpy as np

from ..exceptions import StateFileError
from ..utils._files import locked, remove_stale_temps
from ..utils._sklearn_compat import _num_samples
from ..utils._state import fingerprint, read_state, write_state
from ._pool_labels import check_kinds, plain

KIND = "LabelingPool"
# The first byte of a pickle of protocol 2 or later, as joblib wrote them.
_PICKLE = b"\x80"
_SETTINGS = ("n_samples", "fingerprint", "classes", "missing_label")


def pool_fingerprint(pool):
    """The fingerprint of ``pool.X``, computed once."""
    if pool._fingerprint is None:
        pool._fingerprint = fingerprint(pool.X)
    return pool._fingerprint


def value_of(pool, index):
    """A sample's state as (labeled, label), in plain Python values."""
    if not pool.labeled_[index]:
        return (False, None)
    return (True, plain(pool.labels_[index]))


def touch(pool, indices):
    """Journal the values of ``indices`` before their first change since the
    last load or save."""
    for i in indices:
        pool._journal.setdefault(int(i), value_of(pool, i))


def mark_synced(pool, path, version):
    """The pool now holds the state of ``path`` at ``version``."""
    pool._synced_path, pool._version = path, version
    pool._n_synced, pool._journal = len(pool.history_), {}
    pool._pending_base = pool.pending_.tolist()


def payload_of(pool):
    """The pool's state, as the data the file holds."""
    indices = np.flatnonzero(pool.labeled_)
    return {
        "n_samples": int(pool.labeled_.shape[0]),
        "fingerprint": pool_fingerprint(pool),
        "n_labels": int(pool.labels_.shape[1]) if pool.labels_.ndim == 2 else None,
        "classes": pool.classes, "missing_label": pool.missing_label,
        "labeled": indices.tolist(),
        "labels": [plain(pool.labels_[i]) for i in indices],
        "pending": pool.pending_.tolist(), "history": pool.history_,
    }


def restore(pool, payload, path):
    """Set the pool's labels, pending requests and history from ``payload``."""
    try:
        n_samples, n_labels = payload["n_samples"], payload["n_labels"]
        indices = np.asarray(payload["labeled"], dtype=np.intp)
        if n_labels is None:
            labels = np.full(n_samples, None, dtype=object)
            for i, value in zip(indices, payload["labels"], strict=True):
                labels[i] = value
            check_kinds(payload["labels"])
        else:
            labels = np.zeros((n_samples, n_labels), dtype=int)
            labels[indices] = np.asarray(payload["labels"], dtype=int).reshape(
                indices.size, n_labels)
        labeled = np.zeros(n_samples, dtype=bool)
        labeled[indices] = True
        pending = np.asarray(payload["pending"], dtype=np.intp).reshape(-1)
        history = list(payload["history"])
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise StateFileError(
            f"{path} holds a LabelingPool state that cannot be read ({exc}): it "
            "was not written by LabelingPool.save. Nothing was loaded.") from exc
    pool.labels_, pool.labeled_, pool.pending_, pool.history_ = (
        labels, labeled, pending[~labeled[pending]], history)


def refuse_pickle(path):
    """Refuse a pool that an older skactive pickled, without unpickling it."""
    with open(path, "rb") as f:
        head = f.read(1)
    if head == _PICKLE:
        raise StateFileError(
            f"{path} was written by an older skactive as a pickle, which is not "
            "loaded because loading a pickle can run code; nothing was read from "
            "it. If you wrote it yourself and trust it, convert it once: old = "
            "joblib.load(path); LabelingPool(old.X, old.labels_, "
            "labeled=old.labeled_).save(new_path) (its pending requests and "
            "history are not carried over).")


def load_pool(cls, path, X):
    """:meth:`LabelingPool.load`."""
    path = Path(path)
    refuse_pickle(path)
    remove_stale_temps(path)
    payload, version = read_state(path, KIND)
    digest, n_samples = fingerprint(X), _num_samples(X)
    if payload.get("n_samples") != n_samples or payload.get("fingerprint") != digest:
        what = (f"{payload.get('n_samples')} samples then, {n_samples} now"
                if payload.get("n_samples") != n_samples else
                f"{n_samples} samples then and now, with other contents")
        raise StateFileError(
            f"{path} was saved with other samples than this X ({what}): rows were "
            "added, removed, reordered or edited since. Pass the X the pool was "
            "saved with; nothing was loaded.")
    try:
        pool = cls(X, classes=payload.get("classes"),
                   missing_label=payload.get("missing_label"))
    except ValueError as exc:
        raise StateFileError(f"{path} holds settings that cannot be used: {exc}") \
            from exc
    restore(pool, payload, path)
    pool._fingerprint = digest
    mark_synced(pool, path.resolve(), version)
    return pool


def save_pool(pool, path, overwrite):
    """:meth:`LabelingPool.save`: write, or merge and write, under the lock."""
    path = Path(path)
    with locked(path):
        target, merged = path.resolve(), None
        if not path.exists():
            version = 0
        elif overwrite:
            version = _version_or_zero(path)
        elif pool._synced_path != target:
            raise StateFileError(_not_loaded_message(path))
        else:
            on_disk, version = read_state(path, KIND)
            if version != pool._version:
                merged = merge(pool, on_disk, path)
        write_state(path, KIND, payload_of(pool) if merged is None else merged,
                    version=version + 1)
        if merged is not None:
            restore(pool, merged, path)
        mark_synced(pool, target, version + 1)


def _version_or_zero(path):
    try:
        return read_state(path, KIND)[1]
    except StateFileError:
        return 0


def _not_loaded_message(path):
    try:
        read_state(path, KIND)
        what = "already holds a pool state that this pool did not load"
    except StateFileError:
        what = "already exists, and it is not a pool state that this pool loaded"
    return (f"{path} {what}: nothing was written. To go on with the campaign "
            "saved there, load it with LabelingPool.load(path, X) and label "
            "in that pool; to replace the file, pass overwrite=True.")


def merge(pool, on_disk, path):
    """The state on disk with this pool's changes since its last load or save
    replayed onto it."""
    settings = _merged_settings(pool, on_disk, path)
    disk = dict(zip(on_disk["labeled"], on_disk["labels"]))
    conflicts = []
    for i, before in sorted(pool._journal.items()):
        mine, theirs = value_of(pool, i), (i in disk, disk.get(i))
        if theirs == before:
            if mine[0]:
                disk[i] = mine[1]
            else:
                disk.pop(i, None)
        elif theirs != mine:
            conflicts.append((i, mine, theirs))
    if conflicts:
        raise StateFileError(_conflict_message(path, conflicts))
    try:
        check_kinds(list(disk.values()))
    except ValueError as exc:
        raise StateFileError(f"{path} was saved by another writer meanwhile, and "
                             f"the labels together do not fit: {exc}") from exc
    indices = sorted(disk)
    return {**on_disk, **settings, "labeled": indices,
            "labels": [disk[i] for i in indices],
            "pending": _merged_pending(pool, on_disk["pending"], disk),
            "history": on_disk["history"] + pool.history_[pool._n_synced:]}


def _merged_settings(pool, on_disk, path):
    """The settings of both must agree; a pool without labels yet may learn
    from the other that the labels are multilabel rows."""
    mine = payload_of(pool)
    differ = [key for key in _SETTINGS if mine[key] != on_disk.get(key)]
    n_labels, theirs = mine["n_labels"], on_disk.get("n_labels")
    if n_labels != theirs:
        if n_labels is None and not mine["labeled"]:
            n_labels = theirs
        elif not (theirs is None and not on_disk.get("labeled")):
            differ.append("n_labels")
    if differ:
        raise StateFileError(
            f"{path} was saved meanwhile by a pool with other {', '.join(differ)}: "
            "the two cannot be merged. Nothing was written.")
    return {"n_labels": n_labels}


def _merged_pending(pool, pending_on_disk, labels):
    """Pending on disk, less what this pool dropped, plus what it asked for;
    never a labeled sample."""
    mine = pool.pending_.tolist()
    dropped = set(pool._pending_base) - set(mine)
    pending = [i for i in pending_on_disk if i not in dropped]
    pending += [i for i in mine if i not in set(pool._pending_base) | set(pending)]
    return [i for i in pending if i not in labels]


def _conflict_message(path, conflicts):
    def show(value):
        return repr(value[1]) if value[0] else "unlabeled"

    listed = ", ".join(f"sample {i} ({show(mine)} here, {show(theirs)} in the file)"
                       for i, mine, theirs in conflicts[:10])
    more = f" and {len(conflicts) - 10} more" if len(conflicts) > 10 else ""
    return (f"{path} was saved by another writer since this pool last loaded or "
            f"saved it, and both changed the same samples differently: {listed}"
            f"{more}. Nothing was written. Load the file again "
            "(LabelingPool.load(path, X)) and redo this pool's changes that "
            "still apply, or pass overwrite=True to replace the file with this "
            "pool's state.")
