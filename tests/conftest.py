"""Shared test setup. `builders` (snapshot builder) is importable from every test module."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


# ---------------------------------------------------------------- Prefect flows and data contracts
# (tests/test_flows.py, tests/test_bad_input.py, tests/test_contracts.py)

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """One temporary Prefect API for the whole session (~12 s): start it once."""
    import os

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_HOME", str(tmp_path_factory.mktemp("prefect-home")))
    import flows  # noqa: F401 - Prefect environment defaults
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def corrupted_snapshot(tmp_path_factory):
    """A copy of the sample snapshot with every row-level violation kind
    (tests/corruptions.py); returns (snapshot, kind -> applicant_id of the broken row)."""
    import corruptions

    snapshot = corruptions.sample_snapshot(tmp_path_factory.mktemp("corrupted") / "snapshot")
    return snapshot, corruptions.corrupt_all_rows(snapshot)


@pytest.fixture(scope="session")
def corrupted_nightly(prefect_harness, corrupted_snapshot, tmp_path_factory):
    """The nightly flow run on the corrupted snapshot: (run, out directory, broken rows)."""
    from flows.scoring import score_snapshot

    snapshot, broken = corrupted_snapshot
    out = tmp_path_factory.mktemp("corrupted-out")
    run = score_snapshot(snapshot, out, 2026, "nightly")
    return run, out, broken


@pytest.fixture(scope="session")
def nightly_refreshed(prefect_harness, tmp_path_factory):
    """The scheduled nightly flow, run once by hand on a clean copy of the sample:
    two dated snapshot directories (the newer is scored) and a non-date one.
    Returns (snapshot scored, results directory, run id)."""
    import corruptions
    from flows.serve import nightly_refresh

    snapshots = tmp_path_factory.mktemp("snapshots")
    newest = corruptions.sample_snapshot(snapshots / "2026-05-14")
    (snapshots / "2026-05-13").mkdir()  # older (and empty): must not be picked
    (snapshots / "notes").mkdir()  # not a date: ignored
    results = tmp_path_factory.mktemp("results")
    run_id = nightly_refresh(str(snapshots), str(results))
    return newest, results, run_id
