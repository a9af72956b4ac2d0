"""Files written so that a killed process never leaves half of one, and
that several writers never write over each other unseen."""

# SPDX-License-Identifier: BSD-3-Clause

import os
import secrets
import threading
from contextlib import contextmanager
from pathlib import Path

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


def _temp_name(path):
    """A temporary name next to ``path``, unique across processes and
    threads; it starts with the writer's pid so that the temporary file of a
    killed writer can be told from a live one's."""
    token = f"{os.getpid()}-{threading.get_ident()}-{secrets.token_hex(4)}"
    return path.with_name(f".{path.name}.{token}.tmp")


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):  # exists, owned by someone else
        return True
    return True


def remove_stale_temps(path):
    """Remove the temporary files that killed writers of ``path`` left.

    A writer's temporary file is named after its pid (:func:`atomic_write`);
    one whose process no longer runs was left by a kill or a power cut.

    Parameters
    ----------
    path : str or path-like
        The file whose writers' leftovers to remove.

    Returns
    -------
    removed : list of Path
        The files removed.
    """
    path = Path(path)
    removed = []
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        pid = tmp.name[len(path.name) + 2:].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


@contextmanager
def atomic_write(path, mode="w", **open_kwargs):
    """Open a temporary file next to ``path`` that replaces it once written.

    The data is flushed to the disk before ``os.replace`` swaps the files in
    one step, so a killed process or a power cut leaves the old file or the
    new one whole, never a part of one. The temporary name is unique to the
    process and thread, so concurrent writers never share one; temporary
    files that killed writers left are removed first. If the ``with`` block
    raises, the temporary file is removed and ``path`` is left as it was.

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
    remove_stale_temps(path)
    tmp = _temp_name(path)
    try:
        with open(tmp, mode, **open_kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder):
    """Make the rename itself durable (POSIX; a no-op where folders cannot
    be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


_THREAD_LOCKS = {}
_THREAD_LOCKS_GUARD = threading.Lock()


@contextmanager
def locked(path):
    """Hold the write lock of ``path``: one writer at a time, across threads
    and processes.

    The lock is an advisory ``flock`` on the folder that holds ``path``
    (POSIX), plus a lock per path within the process (``flock`` locks belong
    to the process, not the thread). Locking the folder rather than a lock
    file leaves no file behind, even when the holder is killed: the system
    drops the lock with the process. Where ``flock`` does not exist
    (Windows), only the threads of one process are kept apart.

    Parameters
    ----------
    path : str or path-like
        The file about to be read and rewritten.
    """
    path = Path(path).resolve()
    with _THREAD_LOCKS_GUARD:
        thread_lock = _THREAD_LOCKS.setdefault(path, threading.Lock())
    with thread_lock:
        if fcntl is None:  # pragma: no cover - Windows
            yield
            return
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the flock
