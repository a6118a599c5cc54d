"""The co-chairs' attendance chart: one bar per member against the group's aim, drawn headless
(matplotlib's Agg backend) into a PNG. The same figures always go as sentences too (screen readers)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.types import Attachment

#: Bars in one chart; a larger group's chart is split into parts of this size.
MAX_BARS = 40


def attendance_chart(rows: Sequence[tuple[str, int | None]], target: int, title: str, aim_label: str) -> Attachment:
    """A PNG of each member's percentage (None: no meetings to count) with a line at the aim."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    names = [name[:30] for name, _ in rows][:MAX_BARS]
    values = [percent or 0 for _, percent in rows][:MAX_BARS]
    height = max(2.5, 0.4 * len(names) + 1.5)
    figure = Figure(figsize=(7, height), dpi=100)
    axes = figure.add_subplot()
    colours = ["#1b6e3a" if value >= target else "#b35900" for value in values]
    positions = list(range(len(names)))
    axes.barh(positions, values, color=colours)
    axes.set_yticks(positions, labels=names)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("%")
    axes.axvline(target, color="#222222", linestyle="--", linewidth=1.5, label=aim_label)
    for position, (value, (_, percent)) in enumerate(zip(values, rows, strict=False)):
        axes.text(min(value + 1, 92), position, "–" if percent is None else f"{value}%", va="center", fontsize=9)
    axes.set_title(title)
    axes.legend(loc="lower right")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return Attachment("attendance.png", buffer.getvalue(), "image/png")
