"""A run's validation results: `validation/results.json` and a readable `validation/index.html`.

The HTML page is rendered here rather than by GE Data Docs: it needs no GE
store, renders in milliseconds, and shows beside each extract's expectations
the documented checks GE cannot express (foreign keys, cross-field rules,
check characters) with the number of rows the quarantine holds for each — one
page for the whole contract of a run.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

from data_contracts.build import load_suites_meta
from data_contracts.runner import ContractResult

STYLE = """
body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:2em;color:#222;max-width:78em}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;
text-align:left;vertical-align:top;font-size:.92em}th{background:#f3f3f3}.ok{color:#176e2a}
.bad{color:#b00020;font-weight:600}code{font-size:.9em}.muted{color:#777}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _status(ok: bool) -> str:
    return '<span class="ok">pass</span>' if ok else '<span class="bad">FAIL</span>'


def write_report(result: ContractResult, agreement: list[dict], directory: Path,
                 run: dict | None = None) -> dict[str, str]:
    """Write results.json and index.html into `directory`; return their names
    relative to the run directory (for the manifest)."""
    directory.mkdir(parents=True, exist_ok=True)
    run = run or {}
    payload = {
        "run": run,
        "year": result.year,
        "success": result.success,
        "expectations": result.expectations(),
        "failed_expectations": len(result.failures),
        "rows": result.rows,
        "seconds": result.seconds,
        "failures": result.failures,
        "agreement_with_quarantine": agreement,
        "suites": result.results,  # the raw GX validation results, one per extract
    }
    (directory / "results.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str),
                                            encoding="utf-8")
    (directory / "index.html").write_text(render_html(result, agreement, run), encoding="utf-8")
    base = directory.name
    return {"results": f"{base}/results.json", "report": f"{base}/index.html",
            "success": result.success, "expectations": result.expectations(),
            "failed_expectations": len(result.failures),
            "agrees_with_quarantine": all(a["agrees"] for a in agreement)}


def render_html(result: ContractResult, agreement: list[dict], run: dict) -> str:
    meta = load_suites_meta()
    quarantined = {(a["extract"], a["rule"]): a["quarantined"] for a in agreement}
    out = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
           f"<title>jflh data contract — {_e(run.get('run_id', result.year))}</title>"
           f"<style>{STYLE}</style></head><body>"]
    out.append("<h1>Data contract validation</h1>")
    out.append(f"<p>Run <code>{_e(run.get('run_id', ''))}</code>, year {result.year}, mode "
               f"{_e(run.get('mode', ''))}, snapshot <code>{_e(run.get('extracts', ''))}</code>. "
               f"Great Expectations suites (<code>data_contracts/suites/</code>) on every row, in DuckDB; "
               f"rendered {dt.datetime.now().isoformat(timespec='seconds')}.</p>")
    out.append(f"<p>{result.expectations()} expectations, "
               f"{len(result.failures)} failed — {_status(result.success)}. "
               f"Rows that break a rule are quarantined (<code>quarantine.parquet</code>); "
               f"their applicants stay in the scores with <code>data_issue_count</code> &gt; 0.</p>")
    bad = [a for a in agreement if not a["agrees"]]
    if bad:
        out.append("<p class='bad'>The suites and the quarantine disagree on: "
                   + ", ".join(f"{_e(a['extract'])}/{_e(a['rule'])}" for a in bad) + "</p>")
    out.append("<h2>Extracts</h2><table><tr><th>extract</th><th>rows</th><th>expectations</th>"
               "<th>failed</th><th>quarantined rows (all rules)</th><th>seconds</th></tr>")
    for name, data in result.results.items():
        failed = sum(1 for f in result.failures if f["extract"] == name)
        q = sum(n for (e, _r), n in quarantined.items() if e == name)
        out.append(f"<tr><td><a href='#{_e(name)}'>{_e(name)}</a></td><td>{_e(result.rows.get(name))}</td>"
                   f"<td>{len(data['results'])}</td><td>{_status(not failed)} {failed or ''}</td>"
                   f"<td>{q}</td><td>{_e(result.seconds.get(name))}</td></tr>")
    out.append("</table>")
    for name, data in result.results.items():
        m = meta.get(name, {})
        out.append(f"<h2 id='{_e(name)}'>{_e(name)}</h2><p>{_e(m.get('description'))}</p>")
        out.append("<table><tr><th>rule</th><th>expectation</th><th>column</th><th>result</th>"
                   "<th>unexpected</th><th>some failing rows (file:row)</th></tr>")
        for r in data["results"]:
            cfg = r["expectation_config"]
            kw, res = cfg["kwargs"], r.get("result") or {}
            column = kw.get("column") or kw.get("column_list") or (cfg.get("meta") or {}).get("column", "")
            count = res.get("unexpected_count", res.get("observed_value") if cfg["type"] ==
                            "unexpected_rows_expectation" else "")
            rows = res.get("partial_unexpected_index_list") or []
            sample = ", ".join(f"{Path(x['_file']).name}:{x['_row']}" for x in rows[:5])
            exc = (r.get("exception_info") or {})
            note = f" <span class='bad'>{_e(exc.get('exception_message'))}</span>" \
                if exc.get("raised_exception") else ""
            out.append(f"<tr><td>{_e((cfg.get('meta') or {}).get('rule'))}</td><td>{_e(cfg['type'])}</td>"
                       f"<td>{_e(column)}</td><td>{_status(r['success'])}{note}</td><td>{_e(count)}</td>"
                       f"<td class='muted'>{_e(sample)}</td></tr>")
        out.append("</table>")
        checks = m.get("documented_checks") or []
        if checks:
            out.append("<p>Documented checks (not expressible as GE expectations; enforced by "
                       "<code>jflh.schema_check.find_violations</code>):</p><table><tr><th>rule</th>"
                       "<th>check</th><th>quarantined rows</th></tr>")
            for c in checks:
                n = quarantined.get((name, c["rule"]), 0)
                out.append(f"<tr><td>{_e(c['rule'])}</td><td>{_e(c['check'])}</td>"
                           f"<td>{_status(not n)} {n or ''}</td></tr>")
            out.append("</table>")
        cols = m.get("columns") or {}
        out.append("<details><summary>columns</summary><table><tr><th>column</th><th>type</th>"
                   "<th>nullable</th><th>description</th></tr>")
        for c, d in cols.items():
            out.append(f"<tr><td>{_e(c)}</td><td>{_e(d['type'])}</td><td>{_e(d['nullable'])}</td>"
                       f"<td>{_e(d['description'])}</td></tr>")
        out.append("</table></details>")
    out.append("</body></html>")
    return "\n".join(out)
