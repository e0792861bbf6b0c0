"""Parse time per file: the layout fixtures and the test corpora, cold and warm.

Parsing runs for every file at every ingest. Printed per file: the first parse in a fresh process
(``cold``: it pays for loading dateparser's language data and the gazetteer, once per process) and the
median of ``--repeat`` further parses (``warm``), in milliseconds; then the process's total. The
fixtures come from ``tests/layouts.py`` (binary ones generated into a temporary folder).

    .venv/bin/python bench/bench_parse.py
    .venv/bin/python bench/bench_parse.py --code /path/to/other/tree   # the same files, another parser
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _layouts_module():
    spec = importlib.util.spec_from_file_location("layouts_fixtures", ROOT / "tests" / "layouts.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the tree whose assistant package parses")
    parser.add_argument("--repeat", type=int, default=5, help="warm parses per file (default 5)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    from assistant.ingest.document import ParseError
    from assistant.ingest.parse import parse_file

    layouts = _layouts_module()
    with tempfile.TemporaryDirectory() as tmp:
        files = [layouts.write(layout.name, Path(tmp)) for layout in layouts.LAYOUTS]
        files += sorted((ROOT / "tests" / "data" / "corpus").iterdir()) + sorted((ROOT / "corpus").iterdir())
        print(f"parser from {args.code}")
        print(f"{'file':70} {'cold ms':>8} {'warm ms':>8}")
        started = time.perf_counter()
        for path in files:
            t0 = time.perf_counter()
            try:
                parse_file(path)
            except ParseError as exc:
                print(f"{path.name:70} failed: {exc.reason}")
                continue
            cold = (time.perf_counter() - t0) * 1000
            warm = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                parse_file(path)
                warm.append((time.perf_counter() - t0) * 1000)
            print(f"{path.name:70} {cold:8.1f} {statistics.median(warm):8.1f}")
        print(f"total {time.perf_counter() - started:.2f} s for {len(files)} files × {1 + args.repeat} parses")


if __name__ == "__main__":
    main()
