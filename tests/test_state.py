"""State files (skactive.utils._state) and the writes under them
(skactive.utils._files): data, not pickles; checked; one writer at a time."""

import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from skactive.exceptions import StateFileError
from skactive.utils._files import atomic_write, locked, remove_stale_temps
from skactive.utils._state import fingerprint, read_state, write_state

PAYLOAD = {"labels": ["churn", "stay", None], "mask": np.array([True, True, False]),
           "count": np.int64(2), "rate": np.float32(0.5)}


def test_a_state_reads_back_as_written(tmp_path):
    path = tmp_path / "pool.json"
    write_state(path, "LabelingPool", PAYLOAD, version=3)
    payload, version = read_state(path, "LabelingPool")
    assert version == 3
    assert payload == {"labels": ["churn", "stay", None],
                       "mask": [True, True, False], "count": 2, "rate": 0.5}


def test_a_state_of_another_kind_is_refused(tmp_path):
    path = tmp_path / "pool.json"
    write_state(path, "Campaign", {}, version=1)
    with pytest.raises(StateFileError, match="state of a Campaign, not of a "
                       "LabelingPool"):
        read_state(path, "LabelingPool")


def test_a_value_json_cannot_hold_is_refused_before_writing(tmp_path):
    path = tmp_path / "pool.json"
    with pytest.raises(TypeError, match="a object cannot be written"):
        write_state(path, "LabelingPool", {"x": object()}, version=1)
    with pytest.raises(ValueError, match="not JSON compliant"):
        write_state(path, "LabelingPool", {"x": float("nan")}, version=1)
    assert not list(tmp_path.iterdir())


class _Payload:
    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_crafted_pickle_runs_no_code(tmp_path):
    marker = tmp_path / "ran"
    payload = _Payload()
    payload.marker = marker
    path = tmp_path / "pool.json"
    path.write_bytes(pickle.dumps(payload))
    with pytest.raises(StateFileError, match=f"{path} is not a skactive state"):
        read_state(path, "LabelingPool")
    assert not marker.exists()


def test_every_flipped_byte_and_every_truncation_is_detected(tmp_path):
    path = tmp_path / "pool.json"
    write_state(path, "LabelingPool", PAYLOAD, version=1)
    data = path.read_bytes()
    for i in range(len(data)):
        for broken in (data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:],
                       data[:i]):
            path.write_bytes(broken)
            with pytest.raises(StateFileError, match=str(path)):
                read_state(path, "LabelingPool")


def test_concurrent_threads_never_share_a_temporary_file(tmp_path):
    path = tmp_path / "state.txt"
    errors, torn = [], []

    def write(k):
        try:
            for i in range(50):
                with atomic_write(path) as f:
                    f.write(f"{k}:{i}:" + "x" * 2000)
        except OSError as exc:  # the defect: a shared temporary name
            errors.append(exc)

    def read():
        for _ in range(200):
            if path.exists():
                text = path.read_text()
                if not text.endswith("x" * 2000):
                    torn.append(text)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(6)]
    threads.append(threading.Thread(target=read))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and torn == []
    assert [p.name for p in tmp_path.iterdir()] == ["state.txt"]


def test_a_killed_writers_temporary_file_is_removed(tmp_path):
    path = tmp_path / "state.txt"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".state.txt.{dead}-1-abcd1234.tmp"
    live = tmp_path / f".state.txt.{os.getppid()}-1-abcd1234.tmp"
    stale.write_text("half")
    live.write_text("being written")
    assert remove_stale_temps(path) == [stale]
    with atomic_write(path) as f:
        f.write("new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, "state.txt"]


_INCREMENT = """
import sys
from pathlib import Path
from skactive.utils._files import atomic_write, locked
path = Path(sys.argv[1])
for _ in range(100):
    with locked(path):
        n = int(path.read_text())
        with atomic_write(path) as f:
            f.write(str(n + 1))
"""


def test_the_lock_keeps_two_processes_from_losing_updates(tmp_path):
    path = tmp_path / "counter.txt"
    path.write_text("0")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    workers = [subprocess.Popen([sys.executable, "-c", _INCREMENT, str(path)],
                                env=env) for _ in range(2)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    assert path.read_text() == "200"
    assert [p.name for p in tmp_path.iterdir()] == ["counter.txt"]


def test_the_lock_is_reentrant_across_paths_and_serialises_threads(tmp_path):
    path = tmp_path / "counter.txt"
    path.write_text("0")

    def increment():
        for _ in range(100):
            with locked(path):
                n = int(path.read_text())
                with atomic_write(path) as f:
                    f.write(str(n + 1))

    threads = [threading.Thread(target=increment) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert path.read_text() == "400"


def test_the_fingerprint_follows_the_content(tmp_path):
    rng = np.random.RandomState(0)
    X = rng.rand(20000, 3)  # more rows than one hashed block
    digest = fingerprint(X)
    assert fingerprint(X.copy()) == digest
    np.save(tmp_path / "X.npy", X)
    assert fingerprint(np.load(tmp_path / "X.npy", mmap_mode="r")) == digest
    edited = X.copy()
    edited[15000, 1] += 1e-12
    assert fingerprint(edited) != digest
    assert fingerprint(X.astype(np.float32)) != fingerprint(X)
    assert fingerprint(X.reshape(30000, 2)) != digest
    S = sp.random(50, 40, density=0.1, random_state=0, format="csr")
    assert fingerprint(S.tocsc()) == fingerprint(S)
    assert fingerprint(S * 2) != fingerprint(S)
    texts = ["a ticket", "another", "a ticket"]
    assert fingerprint(list(texts)) == fingerprint(texts)
    assert fingerprint(texts[1:] + texts[:1]) != fingerprint(texts)


def test_the_fingerprint_of_a_dataframe_sees_names_and_cells():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"age": [30, 41], "plan": ["basic", None]})
    digest = fingerprint(frame)
    assert fingerprint(frame.copy()) == digest
    assert fingerprint(frame.rename(columns={"age": "years"})) != digest
    assert fingerprint(frame.assign(plan=["basic", "pro"])) != digest
