"""Every row of issue 18's target table, with one command: each benchmark in its own process, then the
table of figures against targets, with the load average each ran under.

    .venv/bin/python bench/issue18.py                  # every row, full length (~1 h on 2 busy cores)
    .venv/bin/python bench/issue18.py --quick          # shorter runs and a 2,000-paragraph scale step
    .venv/bin/python bench/issue18.py --only load,soak # some rows (ask, load, ingest, cold, soak, scale)

Which script gives which row (each prints its own detail above the table, and one JSON line this
script reads):

- ``ask``: ``bench_ask.py`` — warm ``ask`` p50/p95 and, where it times llama-index's top-3 retrieve in
  the same process and run, the ratio; otherwise the retrieve p50 comes from ``bench_baseline.py``
  (``BaselineSystem`` over the shipped corpus, another process), and the row says so.
- ``load``: ``bench_load.py`` — 20 clients × 60 s on ``POST /api/ask``, p95 and errors.
- ``ingest``: ``bench_ingest.py`` — ingest of ``../shared/eval/dev10/corpus`` into an empty index.
- ``cold``: ``bench_lifecycle.py`` — ``serve`` over a built index to its first answer (median of 3).
- ``soak``: ``bench_soak.py`` — the server's resident memory after 1,000 questions.
- ``scale``: ``bench_scale.py`` — ask p50 at 10,000 generated paragraphs ÷ at the smallest step (or the
  shipped corpus, where the script measures it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchutil

BENCH = Path(__file__).resolve().parent
DEV10 = benchutil.ROOT.parent / "shared" / "eval" / "dev10" / "corpus"
ROWS = ("ask", "load", "ingest", "cold", "soak", "scale")


@dataclass
class Row:
    figure: str
    now: str  # the "now"
    target: str
    value: str = "not run"
    met: str = ""
    note: str = ""


def run(script: str, *args: str, timeout: float) -> tuple[dict | None, str]:
    """Run ``bench/<script> --json <args>`` (its output shown as it goes); its JSON line and the load
    average at its end."""
    command = [benchutil.PYTHON, str(BENCH / script), *args, "--json"]
    print(f"\n$ {' '.join(command[1:])}   (load {benchutil.loadavg()})", flush=True)
    started = time.perf_counter()
    last: dict | None = None
    with subprocess.Popen(command, cwd=benchutil.ROOT, stdout=subprocess.PIPE, text=True, bufsize=1) as proc:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                print(line, end="", flush=True)
                if line.startswith("{"):
                    with contextlib.suppress(ValueError):
                        last = json.loads(line)
                if time.perf_counter() - started > timeout:
                    proc.kill()
                    print(f"(stopped after {timeout:.0f} s)")
                    break
        finally:
            proc.wait()
    if proc.returncode:
        print(f"({script} exited with {proc.returncode})")
    return last, benchutil.loadavg()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(ROWS), help=f"comma-separated rows (default all: {','.join(ROWS)})")
    parser.add_argument("--quick", action="store_true", help="20 s load, 200 questions of soak, scale to 2,000")
    parser.add_argument("--timeout", type=float, default=3 * 3600, help="seconds allowed per script (default 3 h)")
    args = parser.parse_args()
    only = {r.strip() for r in args.only.split(",") if r.strip()}
    unknown = only - set(ROWS)
    if unknown:
        parser.error(f"unknown rows {sorted(unknown)}; choose from {', '.join(ROWS)}")
    rows = {
        "ratio": Row("warm `ask` p50 ÷ llama-index retrieve p50", "3.8×", "≤ 1.5×"),
        "p95": Row("warm `ask` p95", "81 ms", "≤ 40 ms"),
        "load": Row("20 clients on `/api/ask`, p95", "1.66 s", "< 0.8 s, 0 errors"),
        "ingest": Row("ingest of dev10 from empty", "56 s", "≤ 18 s"),
        "cold": Row("cold start to first answer (`serve`, index built)", "—", "≤ 5 s"),
        "soak": Row("`serve` resident memory after 1,000 questions", "~860 MB", "≤ 600 MB"),
        "scale": Row("`ask` p50 at 10,000 paragraphs ÷ shipped", "3.7× (2,000 ¶)", "≤ 1.5×"),
    }
    t = args.timeout
    print(f"issue 18's table on {len(os.sched_getaffinity(0))} cores; load {benchutil.loadavg()} at start")

    if "ask" in only:
        ask, load = run("bench_ask.py", timeout=t)
        if ask:
            rows["p95"].value, rows["p95"].met = f"{ask['ask_p95_ms']:.1f} ms", _met(ask["ask_p95_ms"] <= 40)
            rows["p95"].note = f"load {load}"
            retrieve, same = ask.get("retrieve_p50_ms"), True
            if retrieve is None:  # an older bench_ask: the baseline's retrieve, in another process
                base, _ = run("bench_baseline.py", "--skip-generated", "--chunk-sizes", "0", timeout=t)
                retrieve, same = (base["retrieve"][0]["p50_ms"] if base and base.get("retrieve") else None), False
            if retrieve:
                ratio = ask["ask_p50_ms"] / retrieve
                rows["ratio"].value, rows["ratio"].met = f"{ratio:.2f}×", _met(ratio <= 1.5)
                where = "same run" if same else "retrieve from bench_baseline, another process"
                rows["ratio"].note = f"{ask['ask_p50_ms']:.1f} ÷ {retrieve:.1f} ms; {where}; load {load}"
    if "load" in only:
        duration = "20" if args.quick else "60"
        r, load = run("bench_load.py", "--duration", duration, "--gradio-duration", "0", timeout=t)
        if r:
            ok = r["api_p95_ms"] < 800 and r["api_errors"] == 0
            rows["load"].value = f"{r['api_p95_ms'] / 1000:.2f} s, {r['api_errors']} errors"
            rows["load"].met = _met(ok)
            rows["load"].note = (
                f"{duration} s, {r['api_per_s']}/s, server CPU {r['server_cpu_ms']} ms/answer; {r['pinned']}; "
                f"load {r['load']}"
            )
    if "ingest" in only:
        r, load = run("bench_ingest.py", "--corpus", str(DEV10), "--skip-generated", timeout=t)
        if r and r.get("corpora"):
            figures = next(iter(r["corpora"].values()))
            rows["ingest"].value, rows["ingest"].met = f"{figures['ingest_s']:.1f} s", _met(figures["ingest_s"] <= 18)
            rows["ingest"].note = f"{figures['nodes_embedded']} nodes embedded; load {load}"
    if "cold" in only:
        r, load = run("bench_lifecycle.py", "--skip-kills", "--skip-load", "--cold-runs", "3", timeout=t)
        if r and "cold_start_s" in r:
            rows["cold"].value, rows["cold"].met = f"{r['cold_start_s']:.1f} s", _met(r["cold_start_s"] <= 5)
            cpu = f", CPU {r['cold_start_cpu_s']:.1f} s" if "cold_start_cpu_s" in r else ""
            rows["cold"].note = f"median of {r['cold_start_runs']} s{cpu}; load {load}"
    if "soak" in only:
        n = "200" if args.quick else "1000"
        r, load = run("bench_soak.py", "--questions", n, "--warmup", "0", "--sample", "30", timeout=t)
        if r:
            rows["soak"].value, rows["soak"].met = f"{r['rss_end_mb']} MB", _met(r["rss_end_mb"] <= 600)
            rows[
                "soak"
            ].note = f"after {r['questions']} questions ({r['errors']} errors); up {r['rss_up_mb']} MB; load {load}"
    if "scale" in only:
        steps = ["--base", "200", "--max-scale", "10"] if args.quick else ["--base", "100", "--max-scale", "100"]
        r, load = run("bench_scale.py", *steps, timeout=t)
        if r and r.get("scale"):
            by_size = r["scale"]
            shipped = next((s for s in by_size if s.get("corpus") == "shipped"), None)
            base = shipped or min((s for s in by_size if isinstance(s.get("paragraphs"), int)), key=_paragraphs)
            top = max((s for s in by_size if isinstance(s.get("paragraphs"), int)), key=_paragraphs)
            ratio = top["p50_ms"] / base["p50_ms"]
            rows["scale"].value, rows["scale"].met = f"{ratio:.2f}×", _met(ratio <= 1.5)
            at = "the shipped corpus" if shipped else f"{base['paragraphs']} generated ¶"
            rows[
                "scale"
            ].note = f"{top['p50_ms']:.1f} ms at {top['paragraphs']} ¶ ÷ {base['p50_ms']:.1f} ms at {at}; load {load}"

    print("\nissue 18, targets (same machine; the load average each figure ran under is in its note):")
    benchutil.print_table(
        ["figure", "issue's now", "target", "measured", "met", "note"],
        [[r.figure, r.now, r.target, r.value, r.met, r.note] for r in rows.values()],
    )
    print(f"load average at the end: {benchutil.loadavg()}")


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


def _paragraphs(step: dict) -> int:
    return step["paragraphs"]


if __name__ == "__main__":
    main()
