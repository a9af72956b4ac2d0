"""State files that are data: JSON with a checksum, never a pickle.

A labeling campaign keeps its state (labels, masks, histories) between
sessions. Loading a pickle runs whatever code the file names, so a state
file here is JSON: loading it parses text and runs nothing. The file holds
its kind, a format version, a write counter and a SHA-256 checksum of the
rest, so that a file of another kind, a truncated file or one with a
flipped byte is refused with a message naming it, never read half right.

The write counter lets a writer see that the file changed since it read
it (another process saved in between): the writer then merges or refuses
(see :func:`skactive.utils._files.locked`, which it holds meanwhile).
"""

# SPDX-License-Identifier: BSD-3-Clause

import hashlib
import json
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..exceptions import StateFileError
from ._files import atomic_write

FORMAT = "skactive-state"
FORMAT_VERSION = 1
# Rows hashed at a time by fingerprint(): bounds its memory on a memmap.
_ROWS = 8192


def _canonical(document):
    return json.dumps(document, sort_keys=True, separators=(",", ":"),
                      allow_nan=False, default=_plain).encode()


def _plain(value):
    """numpy scalars and arrays as the JSON values they stand for."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"a {type(value).__name__} cannot be written to a state "
                    "file: use numbers, strings, lists and dicts.")


def write_state(path, kind, payload, *, version):
    """Write ``payload`` to ``path`` atomically, with its checksum.

    Parameters
    ----------
    path : str or path-like
        The state file.

    kind : str
        What the state is of (``"LabelingPool"``); :func:`read_state`
        refuses a file of another kind.

    payload : dict
        JSON-serialisable data (numpy scalars and arrays are converted).

    version : int
        The write counter stored with it.
    """
    body = {"format": FORMAT, "format_version": FORMAT_VERSION, "kind": kind,
            "version": int(version), "payload": payload}
    body = json.loads(_canonical(body))  # numpy values made plain, once
    document = {**body, "sha256": hashlib.sha256(_canonical(body)).hexdigest()}
    # One string through json's C encoder: json.dump streams through the
    # pure-Python one, about ten times slower on a state of many labels.
    text = _canonical(document)
    with atomic_write(path, "wb") as f:
        f.write(text)


def read_state(path, kind):
    """The payload and write counter of a state file.

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`write_state`.

    kind : str
        The kind expected.

    Returns
    -------
    payload : dict
        The data, as written (numpy values as lists and numbers).

    version : int
        The write counter.

    Raises
    ------
    StateFileError
        The file is not a skactive state file, is of another kind or
        format version, or fails its checksum (corrupted or truncated).
    """
    path = Path(path)
    try:
        document = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        document = None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateFileError(
            f"{path} is not a skactive state file, or it was truncated or "
            "corrupted: pass the file that save() wrote, or restore it from "
            "a backup.")
    if document.get("kind") != kind:
        raise StateFileError(f"{path} holds the state of a {document.get('kind')}, "
                             f"not of a {kind}.")
    if document.get("format_version") != FORMAT_VERSION:
        raise StateFileError(
            f"{path} was written in state format {document.get('format_version')}; "
            f"this version of skactive reads format {FORMAT_VERSION}.")
    checksum = document.pop("sha256", None)
    if hashlib.sha256(_canonical(document)).hexdigest() != checksum:
        raise StateFileError(
            f"{path} fails its checksum: it was corrupted or edited by hand. "
            "Nothing was loaded; restore it from a backup.")
    return document["payload"], document["version"]


def fingerprint(X):
    """A SHA-256 digest of the content of ``X``, to recognise it later.

    Arrays (memory-mapped ones included) are hashed in blocks of rows, so
    the memory used stays small; sparse matrices by their canonical CSR
    arrays; DataFrames column by column with their names; anything else
    (lists of texts) element by element through ``repr``.

    Parameters
    ----------
    X : array-like, sparse matrix, DataFrame or list
        The samples.

    Returns
    -------
    digest : str
        64 hexadecimal digits; equal for equal content.
    """
    h = hashlib.sha256()
    if sp.issparse(X):
        X = sp.csr_matrix(X, copy=True)
        X.sum_duplicates()
        X.sort_indices()
        h.update(f"sparse{X.shape}{X.dtype.str}".encode())
        for part in (X.data, X.indices, X.indptr):
            _hash_array(h, part)
    elif hasattr(X, "columns") and hasattr(X, "iloc"):  # a DataFrame
        h.update(f"frame{X.shape}".encode())
        for name in X.columns:
            h.update(repr(name).encode())
            _hash_array(h, X[name].to_numpy())
    else:
        _hash_array(h, X if isinstance(X, np.ndarray) else np.asarray(X, dtype=object))
    return h.hexdigest()


def _hash_array(h, array):
    h.update(f"{array.shape}{array.dtype.str}".encode())
    for start in range(0, max(array.shape[0] if array.ndim else 1, 1), _ROWS):
        block = array[start:start + _ROWS] if array.ndim else array
        if block.dtype == object:
            h.update("\x1f".join(map(repr, np.ravel(block).tolist())).encode())
        else:
            h.update(np.ascontiguousarray(block).tobytes())
