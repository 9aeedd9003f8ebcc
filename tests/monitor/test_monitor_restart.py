"""Stop and restart: a snapshot in the middle of a log loses nothing."""

from __future__ import annotations

import os
import pickle
import random
import re
import shutil
import subprocess
import sys

import pytest
from monitor_helpers import JURISDICTIONS, random_log, run_monitor

from govdata_policy import load_jurisdiction, paths
from govdata_policy.monitor import Monitor


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_snapshot_restore_in_the_middle_gives_one_pass_result(profiles, jurisdiction):
    profile = profiles[jurisdiction]
    rng = random.Random(7)
    events, as_of = random_log(profile, rng, 80)
    one_pass, whole = run_monitor(profile, events, as_of)

    for cut in (0, len(events) // 3, len(events) // 2, len(events) - 1):
        first = profile.monitor()
        found = [v for event in events[:cut] for v in first.push(event)]
        data = first.snapshot()
        del first
        second = Monitor.restore(profile, data)
        found += [v for event in events[cut:] for v in second.push(event)]
        found += second.advance(as_of)
        assert found == one_pass  # the same findings, in the same order
        assert second.stats() == whole.stats()
        assert second.rejected == whole.rejected


def test_pickle_round_trip_keeps_open_obligations(profiles):
    profile = profiles["yongzhou"]
    monitor = profile.monitor()
    monitor.push({"case_id": "A", "event": "share.requested", "time": "2024-05-06 09:00",
                  "category": "conditional", "provider": "市公安局"})
    assert monitor.stats()["open_obligations"] == 1
    clone = pickle.loads(pickle.dumps(monitor))
    assert clone.stats() == monitor.stats()
    late = clone.push({"case_id": "A", "event": "share.provider_reviewed", "time": "2024-06-21 10:00",
                       "outcome": "approved"})
    assert [v["kind"] for v in late] == ["late"]
    assert late[0]["responsible_party"] == "市公安局"  # the context came along
    assert clone.stats()["open_obligations"] == 0


def test_restore_refuses_another_profile(profiles):
    data = profiles["yongzhou"].monitor().snapshot()
    with pytest.raises(ValueError, match="different profile"):
        Monitor.restore(profiles["xinzhou"], data)
    with pytest.raises(ValueError, match="not a monitor snapshot"):
        Monitor.restore(profiles["yongzhou"], pickle.dumps({"format": 0}))


def test_restore_names_the_snapshots_profile_and_the_one_given(profiles, tmp_path):
    """A snapshot restored against another jurisdiction says which it was taken with and which was given; one
    restored against its own profile, changed since, says it changed (it said "'yongzhou' or its rules ...
    changed since" for both, naming only the snapshot's profile)."""
    data = profiles["yongzhou"].monitor().snapshot()
    with pytest.raises(ValueError) as other:
        Monitor.restore(profiles["xinzhou"], data)
    assert "different profile: 'yongzhou', not 'xinzhou'" in str(other.value)
    variant = tmp_path / "mine.yaml"
    variant.write_text("extends: yongzhou\n", encoding="utf-8")
    taken = load_jurisdiction(variant)
    snapshot = taken.monitor().snapshot()
    variant.write_text("extends: yongzhou\nparameters:\n  yz_quality_verification_days:\n    value: 9\n"
                       "    reference: t\n", encoding="utf-8")
    with pytest.raises(ValueError) as changed:
        Monitor.restore(load_jurisdiction(variant), snapshot)
    assert f"different profile: {taken.name!r} as it was before its rules" in str(changed.value)


def test_a_pickled_monitor_of_a_built_in_profile_loads_where_the_data_lies_elsewhere(profiles, tmp_path):
    """A built-in profile is pickled by its name: the monitor loads in a process whose bundled data is at
    another path (another machine, another install), where the file's absolute path would not exist."""
    monitor = profiles["yongzhou"].monitor()
    monitor.push({"case_id": "A", "event": "share.requested", "time": "2024-05-06 09:00",
                  "category": "conditional", "provider": "市公安局"})
    data = pickle.dumps(monitor)
    assert str(paths.data_root()).encode() not in data
    elsewhere = tmp_path / "data"
    for folder in ("rules", "jurisdictions"):
        shutil.copytree(paths.data_root() / folder, elsewhere / folder)
    (tmp_path / "monitor.pickle").write_bytes(data)
    script = ("import pathlib, pickle, sys; m = pickle.loads(pathlib.Path(sys.argv[1]).read_bytes()); "
              "print(m.profile.file.parent.parent == pathlib.Path(sys.argv[2]), m.stats()['open_obligations'])")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "monitor.pickle"), str(elsewhere)],
                          env={**os.environ, "GOVDATA_POLICY_DATA": str(elsewhere)},
                          capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "1"]


def test_a_pickled_monitor_of_a_users_profile_file_keeps_its_path(profiles, tmp_path):
    variant = tmp_path / "mine.yaml"
    variant.write_text("extends: yongzhou\n", encoding="utf-8")
    monitor = load_jurisdiction(variant).monitor()
    clone = pickle.loads(pickle.dumps(monitor))
    assert clone.profile.file == variant.resolve()
    # and a changed profile is refused, as ever
    variant.write_text("extends: yongzhou\nparameters:\n  yz_quality_verification_days:\n    value: 9\n"
                       "    reference: t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="different profile"):
        pickle.loads(pickle.dumps(monitor))


@pytest.mark.parametrize(("data", "says"), [
    (b"", "cannot be read (EOFError"),
    (b"\x80\x04\x95junk", "cannot be read (UnpicklingError"),
    (pickle.dumps([1, 2]), "holds list"),
    (pickle.dumps({"format": 3}), "lacks profile, digest, options"),
])
def test_restore_of_what_is_no_snapshot_says_so(profiles, data, says):
    with pytest.raises(ValueError, match=rf"^not a monitor snapshot: .*{re.escape(says)}"):
        Monitor.restore(profiles["yongzhou"], data)


def test_restore_of_a_truncated_snapshot_says_so(profiles):
    data = profiles["yongzhou"].monitor().snapshot()
    with pytest.raises(ValueError, match="^not a monitor snapshot: it cannot be read"):
        Monitor.restore(profiles["yongzhou"], data[: len(data) // 2])
