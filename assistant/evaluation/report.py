"""Reports: the side-by-side table, and a Markdown file with a bar chart and every outcome as JSON."""

from __future__ import annotations

import json
from pathlib import Path

ROWS = [
    ("hit@1", "hit1"),
    ("hit@3", "hit3"),
    ("MRR", "mrr"),
    ("first quote covers gold", "quote_covers"),
    ("answer keys present", "key_share"),
    ("gold documents cited", "docs_cited"),
    ("abstains when unanswerable", "abstain_unanswerable"),
    ("answers when answerable", "answered_answerable"),
    ("adversarial handled", "handled"),
    ("AUC of confidence", "auc"),
    ("cited passage, words", "cited_words"),
    ("latency p50, ms", "latency_p50_ms"),
    ("latency p95, ms", "latency_p95_ms"),
    ("shown as generated", "generated"),
    ("fell back to extractive", "fell_back"),
]


def _fmt(value, interval=None) -> str:
    if value is None:
        return "—"
    text = f"{value:.3f}" if isinstance(value, float) and value <= 1.0 else f"{value:g}"
    return f"{text} [{interval[0]:.2f}–{interval[1]:.2f}]" if interval else text


def _cell(summary: dict, key: str) -> str:
    return _fmt(summary.get(key), (summary.get("ci") or {}).get(key))


def _rows(results: dict) -> list[tuple[str, str]]:
    """ROWS, without the generative ones unless some system ran with a language model."""
    generative = any(s["summary"].get(k) for s in results["systems"].values() for k in ("generated", "fell_back"))
    return ROWS if generative else [r for r in ROWS if r[1] not in ("generated", "fell_back")]


def table(results: dict) -> str:
    """Overall figures side by side, then each system's figures per question kind."""
    systems = results["systems"]
    names = list(systems)
    lines = ["Overall, with bootstrap 95 % intervals:", f"{'':28}" + "".join(f"{n:>26}" for n in names)]
    for label, key in _rows(results):
        lines.append(f"{label:28}" + "".join(f"{_cell(systems[n]['summary'], key):>26}" for n in names))
    columns = [(n, split, s) for n in names for split, s in systems[n].get("by_split", {}).items()]
    if columns:
        lines += ["", "By split (tuned on one; the others are held out):"]
        lines.append(f"{'':28}" + "".join(f"{f'{n[:14]} {split}':>26}" for n, split, _ in columns))
        for label, key in _rows(results):
            lines.append(f"{label:28}" + "".join(f"{_cell(s, key):>26}" for _, _, s in columns))
    for name in names:
        by_kind = systems[name]["summary"]["by_kind"]
        lines += ["", f"{name} by kind: " + ", ".join(f"{k} ({v['n']})" for k, v in by_kind.items())]
        for label, key in ROWS[:10]:
            lines.append(f"  {label:26}" + "".join(f"{_cell(v, key):>22}" for v in by_kind.values()))
    return "\n".join(lines)


def write_report(results: dict, path: Path) -> list[Path]:
    """A Markdown report with a bar chart (PNG beside it) and the JSON of all outcomes."""
    import matplotlib

    matplotlib.use("Agg")  # no display here
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    chart = path.with_suffix(".png")
    data = path.with_suffix(".json")
    systems = results["systems"]
    keys = [r for r in ROWS[:10]]
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / max(len(systems), 1)
    for i, (name, system) in enumerate(systems.items()):
        values = [system["summary"][k] or 0.0 for _, k in keys]
        ax.bar([x + i * width for x in range(len(keys))], values, width, label=name)
    ax.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(keys))])
    ax.set_xticklabels([label for label, _ in keys], rotation=20, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.legend()
    ax.set_title("Answer quality")
    fig.tight_layout()
    fig.savefig(chart, dpi=110)
    plt.close(fig)
    data.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    text = [
        "# WPS Communiqué Assistant — evaluation",
        "",
        f"Questions: `{results['questions']}`" + (f" (split {results['split']})" if results["split"] else ""),
        f"Corpus: `{results['corpus']}`",
        "",
        f"![chart]({chart.name})",
        "",
        "```",
        table(results),
        "```",
        "",
        f"All outcomes: [{data.name}]({data.name})",
    ]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return [path, chart, data]
