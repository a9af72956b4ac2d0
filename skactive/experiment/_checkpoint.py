"""Checkpoints of an experiment: one JSON file per finished run, written
atomically, and a manifest that ties the folder to the experiment's arguments."""

# SPDX-License-Identifier: BSD-3-Clause

import json
import os

import joblib

_MANIFEST = "manifest.json"


def open_checkpoint(folder, fingerprint, settings):
    """Check (or create) a checkpoint folder; return the runs it holds."""
    manifest = folder / _MANIFEST
    if manifest.exists():
        saved = json.loads(manifest.read_text())
        if saved.get("fingerprint") != fingerprint:
            raise ValueError(
                f"The checkpoint folder {str(folder)!r} was written by an "
                "experiment with other arguments (estimator, samplers, data or "
                f"settings; it had {saved.get('settings')}). Use another folder, "
                "or delete this one to start over."
            )
    else:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(manifest, {"fingerprint": fingerprint, "settings": settings})
    finished = {}
    for path in folder.glob("run-*.json"):
        saved = json.loads(path.read_text())
        finished[saved["strategy"], saved["repeat"]] = {
            "rows": [tuple(row) for row in saved["rows"]],
            "stops": [tuple(stop) for stop in saved.get("stops", [])],
        }
    return finished


def save_run(folder, name, repeat, rows, stops=()):
    digest = joblib.hash(name)[:12]
    write_atomic(folder / f"run-{digest}-{repeat}.json",
                 {"strategy": name, "repeat": repeat, "rows": rows,
                  "stops": list(stops)})


def write_atomic(path, content):
    """Write JSON so that a killed process leaves the old file or the new one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(content))
    os.replace(tmp, path)
