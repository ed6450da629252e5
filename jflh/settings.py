"""Runtime settings (not policy): memory, threads, spill directory.

Read from the environment so the same code runs on a laptop and on the
2-core, 24 GB batch machine: JFLH_MEMORY_LIMIT (DuckDB syntax, default 12GB),
JFLH_THREADS (default: all cores), JFLH_TEMP_DIR (spill directory).
"""

from __future__ import annotations

import os


def duckdb_settings() -> dict[str, object]:
    values: dict[str, object] = {
        "memory_limit": os.environ.get("JFLH_MEMORY_LIMIT", "12GB"),
    }
    if os.environ.get("JFLH_THREADS"):
        values["threads"] = int(os.environ["JFLH_THREADS"])
    if os.environ.get("JFLH_TEMP_DIR"):
        values["temp_directory"] = os.environ["JFLH_TEMP_DIR"]
    return values
