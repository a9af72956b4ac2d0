"""Files written so that a killed process never leaves half of one."""

# SPDX-License-Identifier: BSD-3-Clause

import os
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_write(path, mode="w", **open_kwargs):
    """Open a temporary file next to ``path`` that replaces it once written.

    The data is flushed to the disk before ``os.replace`` swaps the files in
    one step, so a killed process or a power cut leaves the old file or the
    new one whole, never a part of one. If the ``with`` block raises, the
    temporary file is removed and ``path`` is left as it was.

    Parameters
    ----------
    path : str or path-like
        The file to write.

    mode : {"w", "wb"}, default="w"
        Text or bytes.

    **open_kwargs : dict
        Passed to :func:`open` (``encoding``, ``newline``).

    Yields
    ------
    file : file object
        The open temporary file.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, mode, **open_kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
