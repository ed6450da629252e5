"""The Prefect flows: the nightly refresh of the newest snapshot, its band history, the deployment."""

from __future__ import annotations

import json
import os

import duckdb
import pytest


def test_the_nightly_refresh_scores_the_newest_snapshot(nightly_refreshed):
    newest, results, run_id = nightly_refreshed
    manifest = json.loads((results / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] == run_id and manifest["mode"] == "nightly" and manifest["year"] == 2026
    assert (results / "current").resolve().name == run_id
    for name, info in manifest["inputs"].items():
        assert info["rows"] == info["used"] + info["quarantined"], name
    assert manifest["validation"]["success"] is True
    assert (results / "validation" / "index.html").is_file()
    assert {"contracts", "validate", "ranking"} <= set(manifest["timings_seconds"])


def test_every_nightly_band_table_is_kept(nightly_refreshed):
    _, results, run_id = nightly_refreshed
    kept = list((results / "bands_history").glob("*.parquet"))
    assert [p.name for p in kept] == [f"2026-05-14__{run_id}.parquet"]
    history = duckdb.sql(f"select * from read_parquet('{results / 'bands_history' / '*.parquet'}')")
    bands = duckdb.sql(f"select * from read_parquet('{results / 'bands.parquet'}')")
    assert history.columns[:4] == ["run_id", "snapshot_date", "year", "scored_at"]
    assert history.columns[4:] == bands.columns
    assert len(history.fetchall()) == len(bands.fetchall())


def test_the_deployment_is_registered_with_the_cron_and_timezone(prefect_harness, tmp_path):
    from prefect.client.orchestration import get_client

    from flows.serve import DEFAULT_CRON, DEFAULT_TIMEZONE, build_deployment

    assert (DEFAULT_CRON, DEFAULT_TIMEZONE) == ("0 2 * * *", "Asia/Shanghai")
    deployment = build_deployment(tmp_path / "snapshots", tmp_path / "results")
    deployment_id = deployment.apply()
    with get_client(sync_client=True) as client:
        registered = client.read_deployment(deployment_id)
    assert registered.name == "nightly-refresh"
    [schedule] = registered.schedules
    assert schedule.schedule.cron == "0 2 * * *"
    assert schedule.schedule.timezone == "Asia/Shanghai"
    assert schedule.active
    assert registered.parameters == {"snapshots": str((tmp_path / "snapshots").resolve()),
                                     "results": str((tmp_path / "results").resolve())}


def test_serve_without_a_prefect_server_says_what_to_do(tmp_path, monkeypatch):
    from flows import serve

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    if os.environ.get("PREFECT_API_URL"):  # pragma: no cover
        pytest.skip("a server is configured")
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: None}):
        with pytest.raises(RuntimeError, match="PREFECT_API_URL"):
            serve.serve(tmp_path, tmp_path / "results")


def test_the_newest_snapshot_is_chosen_by_the_date_in_its_name(tmp_path):
    from flows.serve import newest_snapshot

    for name in ("2026-04-30", "20260502", "2026-05-01", "latest", "2026-13-01"):
        (tmp_path / name).mkdir()
    path, day = newest_snapshot(tmp_path)
    assert path.name == "20260502" and str(day) == "2026-05-02"
    with pytest.raises(FileNotFoundError):
        newest_snapshot(tmp_path / "latest")
