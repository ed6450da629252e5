"""Synthetic snapshot generator: `generate_snapshot` writes the thirteen
extracts of extracts.md for a plausible Beijing applicant pool.

The applicants are drawn in chunks of `CHUNK` (same seed -> same chunks ->
byte-identical files); each chunk's social-insurance rows become one part
file `social_insurance/part-NNNNN.parquet`, the other extracts are streamed
into one `NAME.parquet` each (one row group per chunk). See docs/generator.md.
"""

from __future__ import annotations

from jflh.generate.snapshot import CHUNK, generate_snapshot

__all__ = ["CHUNK", "generate_snapshot"]
