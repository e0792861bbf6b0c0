"""Small helpers shared by the benchmark scripts (not a benchmark itself).

Worker protocol: a script re-runs itself in a child process (``--worker ...``) so that each measurement
gets a clean process (its own peak RSS, its own ``torch.set_num_threads``); the child prints one line
``BENCH_RESULT {json}`` and the parent reads it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
RESULT_PREFIX = "BENCH_RESULT "
SHIPPED = ROOT / "corpus"


def add_corpus_options(parser: argparse.ArgumentParser, timeout: float = 3600) -> None:
    """The options of a benchmark run on the shipped corpus and on a generated one, and its threads."""
    parser.add_argument("--corpus", type=Path, default=SHIPPED, help="the real corpus (default corpus/)")
    parser.add_argument("--paragraphs", type=int, default=2000, help="generated corpus size (default 2000)")
    parser.add_argument("--docs", type=int, default=20, help="documents in the generated corpus (default 20)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument("--skip-shipped", action="store_true", help="only the generated corpus")
    parser.add_argument("--skip-generated", action="store_true", help="only the shipped corpus")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default 1, as shipped)")
    parser.add_argument(
        "--timeout", type=float, default=timeout, help=f"seconds allowed per child process (default {timeout:g})"
    )
    parser.add_argument("--json", action="store_true", help="also print one JSON line of the figures at the end")


def corpus_cases(args: argparse.Namespace, tmp: Path) -> list[tuple[str, Path]]:
    """(name, folder) of the corpora the options ask for; the generated one is written under ``tmp``."""
    import corpus_gen

    cases: list[tuple[str, Path]] = []
    if not args.skip_shipped:
        cases.append((f"shipped ({args.corpus.name}/)", args.corpus.resolve()))
    if not args.skip_generated:
        generated = corpus_gen.generate_corpus(Path(tmp) / "generated", args.paragraphs, args.docs, args.seed)
        cases.append((f"generated {len(generated.paragraphs)}", Path(tmp) / "generated"))
    return cases


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Resident set size now (VmRSS), or the peak where /proc is unavailable."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def dir_size_mb(path: Path) -> float:
    """Disk usage of a folder, like ``du``: allocated blocks of every file under it."""
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_blocks * 512
    return total / 1e6


def pct(values: Sequence[float], q: float) -> float:
    """q-th percentile (0–100), linear interpolation between closest ranks; nan when empty."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def loadavg() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f}/{five:.2f}"


def emit_result(result: dict) -> None:
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def run_worker(args: Sequence[str], timeout: float, env: dict[str, str] | None = None) -> dict:
    """Run ``python <args>`` and return its BENCH_RESULT; on failure show its stderr tail and raise."""
    proc = subprocess.run(
        [PYTHON, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    tail = "\n".join(proc.stderr.splitlines()[-30:])
    raise RuntimeError(f"worker {args} failed (exit {proc.returncode}):\n{tail}")


@contextlib.contextmanager
def busy_core(seconds: float) -> Iterator[subprocess.Popen]:
    """Keep one core busy with a pure-Python spin loop, for at most ``seconds``; always stopped on exit."""
    code = f"import time\nend = time.monotonic() + {seconds:.0f}\nwhile time.monotonic() < end:\n    pass\n"
    proc = subprocess.Popen([PYTHON, "-c", code])
    try:
        time.sleep(0.5)  # let it reach full speed
        yield proc
    finally:
        proc.kill()
        proc.wait()


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain fixed-width table; floats with one decimal."""

    def cell(v: object) -> str:
        return f"{v:.1f}" if isinstance(v, float) else str(v)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    print("  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(headers, widths, strict=True))))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(v.rjust(w) if i else v.ljust(w) for i, (v, w) in enumerate(zip(r, widths, strict=True))))
