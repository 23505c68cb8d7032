"""The table `manage.py bench --current` prints, and its JSON."""

from __future__ import annotations

import json

from .timing import Figure

HEADERS = ("section", "label", "role", "page", "runs", "p50 ms", "p95 ms", "queries", "bare p50 ms", "ratio",
           "rows", "rows/s", "bare rows/s", "peak RSS MB", "traced MB", "target", "", "note")  # fmt: skip


def _number(value, digits: int = 1) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def row(figure: Figure) -> tuple:
    mark = "" if figure.met is None else ("✓" if figure.met else "✗")
    note = figure.note if figure.status == "ok" else figure.status
    return (
        figure.section, figure.label, figure.role, figure.page, _number(figure.runs or None),
        _number(figure.p50_ms), _number(figure.p95_ms), _number(figure.queries), _number(figure.bare_p50_ms),
        _number(figure.ratio, 2), _number(figure.rows), _number(figure.rows_per_s, 0),
        _number(figure.bare_rows_per_s, 0), _number(figure.peak_rss_mb, 0), _number(figure.tracemalloc_mb, 0),
        figure.target, mark, note.splitlines()[0] if note else "",
    )  # fmt: skip


def width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def table(figures: list[Figure]) -> list[str]:
    rows = [HEADERS, *(row(f) for f in figures)]
    widths = [max(width(str(r[i])) for r in rows) for i in range(len(HEADERS))]
    lines = ["  ".join(pad(str(c), w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    measured = [f for f in figures if f.met is not None]
    missed = [f for f in measured if not f.met]
    lines.append(f"targets met: {len(measured) - len(missed)} of {len(measured)}")
    return lines


def as_json(figures: list[Figure]) -> str:
    return json.dumps({"figures": [f.as_dict() for f in figures]}, ensure_ascii=False, indent=1)
