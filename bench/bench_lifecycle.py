"""The index lifecycle: what a SIGKILL leaves at each step of an ingest, and a switch under load.

1. **Kill points** (four communiqués, ``tests/data/corpus``). For each step an ingest reports, a real
   ingest process SIGKILLs itself there, on a fresh copy of the index — from empty, and while
   re-indexing a changed Rome communiqué (the largest file, embedded last, two write batches). Then:
   which generation is live, how many documents it serves, how many versions of any document it
   holds, which version of the changed one, how many documents answer a question about themselves
   (first citation from the document; one question each from ``tests/data/questions_multi.jsonl``),
   and what the next ingest does (nodes embedded, documents kept from the killed run, seconds).
2. **Switch under load**. ``python -m assistant serve`` (a real process, embedded store, no start-up
   ingest) answers ``--clients`` threads asking without pause on ``/api/ask``; three ingests run
   beside it in other processes (add a document, add another, change one). Printed per phase (no
   ingest / ingest running / switch window, from the ingest's exit to the app answering from the new
   generation / after): questions, questions/s, p50 and p95 latency, failed questions; per ingest: its
   time, the switch lag, questions in flight at the switch, whether the new text is answered after,
   and the server's resident memory.

3. **Cold start** (issue 18, target <= 5 s). The shipped corpus is ingested in one process; then
   ``python -m assistant serve`` is started ``--cold-runs`` times with its default settings (so its
   start-up ingest checks the corpus, finding nothing to do) and timed from the process start to
   its port answering, to ``/api/health`` saying ready and to the first answer of ``POST /api/ask``.
   The process is cold, the operating system's file cache is not (the ingest just read the files).

    .venv/bin/python bench/bench_lifecycle.py                  # all three (~8 min on 2 busy cores)
    .venv/bin/python bench/bench_lifecycle.py --skip-load      # the kill-point table and the cold start
    .venv/bin/python bench/bench_lifecycle.py --skip-kills --skip-load --json   # the cold start only
    .venv/bin/python bench/bench_lifecycle.py --skip-kills --cold-runs 0 --clients 8
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import benchutil
import httpx

CORPUS = benchutil.ROOT / "tests" / "data" / "corpus"
QUESTIONS = benchutil.ROOT / "tests" / "data" / "questions_multi.jsonl"
ROME = "2026-06-10_rome_eighth-capital-level-meeting_joint-communique"
CHANGE = "\n\nWe welcome the quokka charter, which pairs coastal mediators with women peacebuilders.\n"
QUOKKA = "What does the quokka charter do?"

# (label, step, nth): nth < 0 counts from the end (document -1 = the last but one); "partial" is a
# write batch that leaves a document half written.
KILL_POINTS = [
    ("after the lock, nothing read", "locked", 1),
    ("new generation created, empty", "planned", 1),
    ("copying unchanged documents", "copied", 2),
    ("half of a document written", "partial", 1),
    ("after the first document", "document", 1),
    ("all written, before the switch", "built", 1),
    ("after the switch, before clean-up", "switched", 1),
]


# ------------------------------------------------------------------ the ingest that kills itself
def kill_worker(step_name: str, nth: int) -> None:
    import assistant  # noqa: F401
    from assistant.index.embeddings import MiniLMEmbedding
    from assistant.ingest.pipeline import Step, ingest_corpus
    from assistant.settings import Settings

    seen = 0

    def on_step(step: Step) -> None:
        nonlocal seen
        hit = (step.name == "stored" and step.done < step.total) if step_name == "partial" else step.name == step_name
        if hit:
            seen += 1
            if seen == nth:
                os.kill(os.getpid(), signal.SIGKILL)

    settings = Settings()
    ingest_corpus(settings, lambda: MiniLMEmbedding.from_settings(settings), show_progress=False, on_step=on_step)


def questions_by_doc() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        if q.get("gold") and len(q.get("gold_docs", [])) == 1 and not q.get("history"):
            out.setdefault(q["gold_docs"][0], q["question"])
    return out


def inspect(settings, embed_model, questions: dict[str, str], changed_hash: str) -> dict:
    """What readers get from the index as the kill left it."""
    from assistant.index.contents import held_documents
    from assistant.index.errors import IndexUnavailableError
    from assistant.index.store import Store
    from assistant.pipeline.factory import build_assistant

    try:
        store = Store.live(settings)
    except IndexUnavailableError as exc:
        return {"live": 0, "docs": 0, "versions": 0, "changed": "-", "answered": "none served", "why": exc.state}
    held = held_documents(store.collection)
    versions: dict[str, set[str]] = {}
    for meta in store.collection.get(include=["metadatas"])["metadatas"]:
        versions.setdefault(meta["doc_id"], set()).add(meta["content_hash"])
    whole = all(h.complete for h in held.values())
    assistant, _ = build_assistant(settings, embed_model=embed_model, store=store)
    answers = {d: assistant.ask(q) for d, q in questions.items()}
    answered = sum(bool(a.citations) and a.citations[0].doc_id == d for d, a in answers.items())
    rome = versions.get(ROME, set())
    changed = "absent" if not rome else ("new" if rome == {changed_hash} else "old" if len(rome) == 1 else "mixed")
    return {
        "live": store.generation,
        "docs": len(held) if whole else f"{len(held)} (partial!)",
        "versions": max(map(len, versions.values())),
        "changed": changed,
        "answered": f"{answered}/{len(questions)}",
    }


def kill_table(tmp: Path, timeout: float) -> None:
    import assistant  # noqa: F401
    from assistant.index.embeddings import MiniLMEmbedding
    from assistant.ingest.parse import parse_file
    from assistant.ingest.pipeline import ingest_corpus
    from assistant.settings import Settings

    embed_model = MiniLMEmbedding.from_settings(Settings())
    questions = questions_by_doc()
    v1, v2 = tmp / "corpus-v1", tmp / "corpus-v2"
    shutil.copytree(CORPUS, v1)
    shutil.copytree(CORPUS, v2)
    rome = v2 / f"{ROME}.txt"
    rome.write_text(rome.read_text(encoding="utf-8") + CHANGE, encoding="utf-8")
    new_hash = parse_file(rome).content_hash
    base = Settings(corpus_dir=v1, index_dir=tmp / "index-v1")
    ingest_corpus(base, embed_model, show_progress=False)

    rows = []
    for scenario in ("from empty", "re-index changed Rome"):
        for label, step, nth in KILL_POINTS:
            if step == "copied" and scenario == "from empty":
                continue
            case = tmp / f"case-{len(rows)}"
            if scenario == "from empty":
                settings = Settings(corpus_dir=v1, index_dir=case)
            else:
                shutil.copytree(base.index_dir, case)
                settings = Settings(corpus_dir=v2, index_dir=case)
            env = {"WPS_CORPUS_DIR": str(settings.corpus_dir), "WPS_INDEX_DIR": str(case)}
            started = time.perf_counter()
            proc = subprocess.run(
                [benchutil.PYTHON, __file__, "--worker-kill", step, str(nth)],  # stdout: its own summary
                env={**os.environ, **env},
                cwd=benchutil.ROOT,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
            killed = "SIGKILL" if proc.returncode == -signal.SIGKILL else f"exit {proc.returncode}"
            state = inspect(settings, embed_model, questions, new_hash)
            t = time.perf_counter()
            report = ingest_corpus(settings, embed_model, show_progress=False)
            resume = time.perf_counter() - t
            after = inspect(settings, embed_model, questions, new_hash)
            rows.append(
                [
                    scenario,
                    label,
                    f"{killed} {t - started:.0f}s",
                    state["live"],
                    state["docs"],
                    state["versions"],
                    state["changed"] if scenario != "from empty" else "-",
                    state["answered"],
                    report.nodes_embedded,
                    len(report.resumed),
                    f"{resume:.1f}",
                    f"{after['docs']} / {after['answered']}",
                ]
            )
            print(f"  {scenario}: {label}: {state}", flush=True)
    print()
    print("kill points (a fresh index copy per row; 'next ingest' runs with the model loaded):")
    benchutil.print_table(
        [
            "scenario",
            "killed at",
            "run",
            "live gen",
            "docs served",
            "versions/doc",
            "Rome",
            "answered",
            "next: embedded",
            "kept",
            "s",
            "then docs/answered",
        ],
        rows,
    )


# ------------------------------------------------------------------ switch under load
class Load:
    """Client threads on /api/ask; every request's start, end and status are kept."""

    def __init__(self, url: str, questions: list[str], clients: int) -> None:
        self.url, self.questions = url, questions
        self.records: list[tuple[float, float, int]] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(clients)]

    def run(self, i: int) -> None:
        with httpx.Client(base_url=self.url, timeout=120) as client:
            while not self.stop.is_set():
                t = time.time()  # wall clock, to compare with the pointer's switched_at
                try:
                    code = client.post(
                        "/api/ask", json={"question": self.questions[i % len(self.questions)]}
                    ).status_code
                except httpx.HTTPError:
                    code = 0
                self.records.append((t, time.time(), code))
                i += 1


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class HealthWatch:
    """Polls /api/health every 50 ms; remembers when (wall clock) each generation was first served."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.first_seen: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            while not self.stop.wait(0.05):
                try:
                    generation = client.get("/api/health").json().get("generation")
                except (httpx.HTTPError, ValueError):
                    continue
                if generation is not None:
                    self.first_seen.setdefault(generation, time.time())


def switch_under_load(tmp: Path, clients: int, settle: float, switches: int) -> None:
    from assistant.index.client import make_client
    from assistant.index.generations import Generations
    from assistant.settings import Settings

    corpus, index = tmp / "load-corpus", tmp / "load-index"
    corpus.mkdir()
    files = sorted(CORPUS.iterdir())
    rome = next(f for f in files if f.stem == ROME)
    ny = next(f for f in files if "new-york" in f.name)
    for f in (rome, ny):
        shutil.copy(f, corpus)
    env = {**os.environ, "WPS_CORPUS_DIR": str(corpus), "WPS_INDEX_DIR": str(index), "WPS_INGEST_ON_START": "false"}
    ingest = [benchutil.PYTHON, "-m", "assistant", "ingest", "--quiet"]
    run = {"env": env, "cwd": benchutil.ROOT, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run(ingest, **run)
    generations = Generations(Settings(index_dir=index), make_client(Settings(index_dir=index)))
    port = 18000 + os.getpid() % 1000
    server = subprocess.Popen(
        [benchutil.PYTHON, "-m", "assistant", "serve", "--port", str(port)],
        env=env,
        cwd=benchutil.ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    questions = questions_by_doc()
    nairobi = next(f for f in files if "nairobi" in f.name)
    santiago = next(f for f in files if "santiago" in f.name)
    changes = [  # (what, how, a question only the new text answers)
        ("add the Nairobi communiqué", lambda: shutil.copy(nairobi, corpus), questions[nairobi.stem]),
        ("add the Santiago communiqué", lambda: shutil.copy(santiago, corpus), questions[santiago.stem]),
    ]
    for n in range(max(switches - 2, 1)):
        line = CHANGE if n == 0 else f"\n\nThe quokka charter was renewed for term {n + 1}.\n"
        changes.append(
            (f"change the Rome communiqué ({n + 1})", lambda line=line: _append(corpus / rome.name, line), QUOKKA)
        )
    changes = changes[:switches]
    marks: list[dict] = []
    try:
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        rss_before = rss_mb(server.pid)
        watch = HealthWatch(url)
        watch.thread.start()
        load = Load(url, [questions[rome.stem], questions[ny.stem]], clients)
        for t in load.threads:
            t.start()
        time.sleep(settle)
        for label, change, probe in changes:
            change()
            mark = {"label": label, "start": time.time()}
            subprocess.run(ingest, **run)
            mark["ingested"] = time.time()
            pointer = generations.pointer()
            mark["switched"] = pointer.switched_at  # when the ingest wrote the pointer
            while pointer.live not in watch.first_seen:
                time.sleep(0.05)
            mark["served"] = watch.first_seen[pointer.live]  # when the app first answered from it
            answer = httpx.post(f"{url}/api/ask", json={"question": probe}, timeout=60).json()
            mark["answered"] = bool(answer.get("citations")) and not answer["abstained"]
            mark["rss"] = rss_mb(server.pid)
            marks.append(mark)
            time.sleep(settle)
        load.stop.set()
        watch.stop.set()
        for t in load.threads:
            t.join(timeout=120)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)

    records = load.records
    begin, end = records[0][0], max(e for _, e, _ in records) + 1e-9
    building = [(m["start"], m["switched"]) for m in marks]
    window = [(m["switched"], m["served"]) for m in marks]
    starts, ends = [begin] + [m["served"] for m in marks], [m["start"] for m in marks] + [end]
    quiet = list(zip(starts, ends, strict=True))

    def phase(name: str, spans: list[tuple[float, float]]) -> list:
        """Questions that started inside ``spans``: how many, how fast, how many failed."""
        chosen = [r for r in records if any(lo <= r[0] < hi for lo, hi in spans)]
        seconds = sum(max(hi - lo, 0.0) for lo, hi in spans)
        lat = [(e - s) * 1000 for s, e, code in chosen if code == 200]
        failed = sum(1 for *_, code in chosen if code != 200)
        rate = f"{len(chosen) / seconds:.1f}" if seconds > 0.5 else "-"
        return [name, len(chosen), rate, f"{benchutil.pct(lat, 50):.0f}", f"{benchutil.pct(lat, 95):.0f}", failed]

    rows = [
        phase("no ingest running", quiet),
        phase("ingest building", building),
        phase("switch window", window),
        phase("whole run", [(begin, end)]),
    ]
    print()
    print(f"switch under load: {clients} clients on /api/ask without pause, {len(marks)} ingests beside them;")
    print(f"load {benchutil.loadavg()} (1/5 min) at the end; server RSS {rss_before:.0f} MB before the first ingest")
    benchutil.print_table(["phase", "questions", "q/s", "p50 ms", "p95 ms", "failed"], rows)
    print()
    ingest_rows = []
    for m in marks:
        in_flight = sum(1 for s, e, _ in records if s < m["served"] <= e)
        ingest_rows.append(
            [
                m["label"],
                f"{m['switched'] - m['start']:.1f}",
                f"{m['served'] - m['switched']:.2f}",
                in_flight,
                "yes" if m["answered"] else "NO",
                f"{m['rss']:.0f}",
            ]
        )
    headers = ["ingest", "build s", "switch lag s", "in flight at switch", "new text answered", "server RSS MB"]
    benchutil.print_table(headers, ingest_rows)
    print("(switch lag: the ingest writing the pointer → the app first answering from the new generation)")


# ------------------------------------------------------------------ cold start
def cold_start(tmp: Path, runs: int) -> dict:
    """Seconds from starting ``serve`` (index built) to its port, its readiness and its first answer."""
    from loadutil import OFFLINE, build_index, free_port

    index = tmp / "cold-index"
    build_index(benchutil.SHIPPED, index)
    question = {"question": "What does the communiqué say about early warning?"}
    rows = []
    for _ in range(runs):
        port = free_port()
        env = {
            **os.environ,
            **OFFLINE,
            "WPS_CORPUS_DIR": str(benchutil.SHIPPED),
            "WPS_INDEX_DIR": str(index),
            "WPS_FEEDBACK_PATH": str(tmp / "cold-feedback.jsonl"),
        }
        url = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        server = subprocess.Popen(
            [benchutil.PYTHON, "-m", "assistant", "serve", "--port", str(port)],
            env=env,
            cwd=benchutil.ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        marks: dict[str, float] = {}
        try:
            with httpx.Client(base_url=url, timeout=60) as client:
                while "answer" not in marks:
                    if server.poll() is not None:
                        raise RuntimeError(f"serve exited with {server.returncode} before answering")
                    try:
                        health = client.get("/api/health").status_code
                        marks.setdefault("port", time.perf_counter() - started)
                        if health == 200:
                            marks.setdefault("ready", time.perf_counter() - started)
                            if client.post("/api/ask", json=question).status_code == 200:
                                marks["answer"] = time.perf_counter() - started
                    except httpx.TransportError:
                        pass  # not listening yet
                    time.sleep(0.02)
                rss, cpu = rss_mb(server.pid), cpu_s(server.pid)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=60)
        times = [f"{marks[k]:.2f}" for k in ("port", "ready", "answer")]
        rows.append([len(rows) + 1, *times, f"{cpu:.1f}", f"{rss:.0f}"])
    print()
    print(f"cold start of serve over the built shipped index ({runs} runs; load {benchutil.loadavg()}):")
    benchutil.print_table(["run", "port s", "ready s", "first answer s", "CPU s", "RSS MB"], rows)
    print("(CPU s: the server's CPU time to its first answer, which a busy machine stretches less than the wall time)")
    firsts = sorted(float(r[3]) for r in rows)
    cpus = sorted(float(r[4]) for r in rows)
    return {
        "cold_start_s": firsts[len(firsts) // 2],
        "cold_start_runs": firsts,
        "cold_start_cpu_s": cpus[len(cpus) // 2],
        "load": benchutil.loadavg(),
    }


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker-kill", nargs=2, metavar=("STEP", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--skip-kills", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--clients", type=int, default=4, help="question threads during the switches (default 4)")
    parser.add_argument("--settle", type=float, default=8, help="seconds of load before and after each ingest")
    parser.add_argument("--switches", type=int, default=3, help="ingests during the load (default 3)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per child process")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold starts of serve to time (default 3; 0 = skip)")
    parser.add_argument("--json", action="store_true", help="also print one JSON line of the cold start at the end")
    args = parser.parse_args()
    if args.worker_kill:
        kill_worker(args.worker_kill[0], int(args.worker_kill[1]))
        sys.exit(3)  # the step was never reached
    print(f"machine: {os.cpu_count()} cores, load {benchutil.loadavg()} (1/5 min) at start", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-lifecycle-") as tmp:
        if not args.skip_kills:
            kill_table(Path(tmp), args.timeout)
        if not args.skip_load:
            switch_under_load(Path(tmp), args.clients, args.settle, args.switches)
        cold = cold_start(Path(tmp), args.cold_runs) if args.cold_runs > 0 else {}
    if args.json:
        print(json.dumps(cold))


if __name__ == "__main__":
    main()
