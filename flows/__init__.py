"""Prefect 3 orchestration of `jflh run` (flows.scoring) and the nightly schedule (flows.serve).

Prefect reads its settings from the environment when it is first imported, so
the defaults below are set before any `flows` module imports it. Each is only a
default: a value already in the environment wins.

* no `PREFECT_API_URL`: every run starts a temporary local API server in the
  process (ephemeral mode, ~10 s start-up); its database lives under
  `PREFECT_HOME` (default: `.prefect/` of the checkout, else `~/.jflh/prefect`);
* `PREFECT_API_URL=http://host:4200/api`: runs are recorded on that server
  (`prefect server start`), start-up ~3 s; needed by `jflh serve`.
"""

from __future__ import annotations

import os
from pathlib import Path


def prefect_environment() -> None:
    """Defaults for running Prefect offline (../shared/notes/stack-findings.md)."""
    checkout = Path(__file__).resolve().parents[1]
    home = checkout / ".prefect" if (checkout / "pyproject.toml").exists() else Path.home() / ".jflh" / "prefect"
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no network: telemetry only errors
    # A fresh PREFECT_HOME migrates its database: ~20 s, the default timeout.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


prefect_environment()
