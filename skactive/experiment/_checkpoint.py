"""Checkpoints of an experiment: one JSON file per finished run, written
atomically. The manifest and every run file carry the fingerprint of the
experiment's arguments, and a file with another fingerprint is refused."""

# SPDX-License-Identifier: BSD-3-Clause

import json
from pathlib import Path

import joblib
import numpy as np

from ..utils._files import atomic_write

_MANIFEST = "manifest.json"
_RUN_FIELDS = ("strategy", "repeat", "rows")


class Checkpoint:
    """The checkpoint folder of one experiment.

    ``fingerprint`` (a hash of every argument) and ``settings`` (the readable
    ones) are written into the manifest and into every run file, so that a
    run file is checked on its own, with or without the manifest.
    """

    def __init__(self, folder, fingerprint, settings):
        self.folder = Path(folder)
        self.fingerprint = fingerprint
        self.settings = settings

    def open(self):
        """Check the folder (or create it); return the finished runs it holds.

        Nothing is written when a file is refused.
        """
        manifest = self.folder / _MANIFEST
        if manifest.exists():
            self._check(manifest, _read(manifest, ("fingerprint",)))
        finished = {}
        for path in sorted(self.folder.glob("run-*.json")):
            saved = _read(path, _RUN_FIELDS)
            self._check(path, saved)
            finished[saved["strategy"], saved["repeat"]] = {
                "rows": [tuple(row) for row in saved["rows"]],
                "stops": [tuple(stop) for stop in saved.get("stops", [])],
            }
        if not manifest.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            write_json(manifest, self._stamp())
        return finished

    def save(self, name, repeat, rows, stops=()):
        """Write one finished (strategy, repeat) run."""
        digest = joblib.hash(name)[:12]
        write_json(self.folder / f"run-{digest}-{repeat}.json",
                     {**self._stamp(), "strategy": name, "repeat": repeat,
                      "rows": rows, "stops": list(stops)})

    def _stamp(self):
        return {"fingerprint": self.fingerprint, "settings": self.settings}

    def _check(self, path, saved):
        """Refuse a file written by an experiment with other arguments."""
        if saved.get("fingerprint") == self.fingerprint:
            return
        saved_settings = saved.get("settings") or {}
        changed = [f"{key} {saved_settings.get(key)}, this experiment {value}"
                   for key, value in self.settings.items()
                   if saved_settings.get(key) != value]
        if "fingerprint" not in saved:
            what = "it records no arguments: an older skactive wrote it"
        elif changed:
            what = "it had " + "; ".join(changed)
        else:
            what = "another estimator, samplers, data, scoring or stopping criteria"
        raise ValueError(
            f"The checkpoint file {path} was written by an experiment with other "
            f"arguments ({what}). Use another checkpoint folder, or delete "
            f"{self.folder} to start over."
        )


def _read(path, fields):
    """The JSON object of ``path``; a clear error if it is damaged."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        problem = str(exc)
    else:
        if isinstance(saved, dict) and all(field in saved for field in fields):
            return saved
        problem = f"a JSON object with {', '.join(fields)} was expected"
    fix = ("the manifest is written again from the run files"
           if path.name == _MANIFEST else "its run is computed again")
    raise ValueError(
        f"The checkpoint file {path} cannot be read ({problem}): it was damaged "
        f"or edited. Delete it and run again: {fix}."
    )


def write_json(path, content):
    """Write JSON atomically: a killed process or a power cut leaves the old
    file or the new one whole, never a part of one."""
    with atomic_write(path, encoding="utf-8") as f:
        json.dump(content, f, default=_plain)


def _plain(value):
    """NumPy scalars (an ``np.int64`` batch size, say) as Python numbers."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} cannot be saved in a checkpoint.")
