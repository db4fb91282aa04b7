"""The pulse trend chart: a small PNG of a team's scores over the last rounds, drawn headless."""

import io
from collections import defaultdict
from typing import TYPE_CHECKING

from services.pulse.results import TrendPoint
from services.pulse.targets import change_between, score_words

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def trend_alt_text(points: tuple[TrendPoint, ...], title: str) -> str:
    """The trend in words, for screen readers, which read an image's alt text only (Slack takes 1000 characters).
    A question asked on both scales (the policy moved it) is two lines, as in the chart's two panels."""
    lines: dict[tuple[str, bool], list[TrendPoint]] = defaultdict(list)
    for point in points:
        lines[(point.key, point.nps)].append(point)
    said = "; ".join(
        f"{key}{' (eNPS)' if nps else ''}: "
        + ", ".join(f"round {p.round_number} {score_words(p.score)}" for p in series)
        + _last_change(series)
        for (key, nps), series in lines.items()
    )
    text = f"Line chart, {title}, each question's score by round: {said}."
    return text if len(text) <= 1000 else text[:999] + "…"


def _last_change(series: list[TrendPoint]) -> str:
    """The latest move in words (", down 0.5 since round 2"): the chart's slope, which a listener cannot see."""
    if len(series) < 2:
        return ""
    change = change_between(series[-2].score, series[-1].score)
    since = f"since round {series[-2].round_number}"
    return (
        f", unchanged {since}"
        if change == 0
        else f", {'up' if change > 0 else 'down'} {score_words(abs(change))} {since}"
    )


def trend_png(points: tuple[TrendPoint, ...], title: str) -> bytes | None:
    """One line per question (agreement 1–5 above, eNPS below when asked); None when there is nothing to draw."""
    if not points:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # imported when drawing: it costs a third of start-up
    from matplotlib.figure import Figure

    agreement = [p for p in points if not p.nps]
    enps = [p for p in points if p.nps]
    panels = [(part, label) for part, label in ((agreement, "average (1–5)"), (enps, "eNPS")) if part]
    figure = Figure(figsize=(6.4, 2.6 * len(panels)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.subplots(len(panels), 1, squeeze=False)[:, 0]
    for ax, (part, label) in zip(axes, panels, strict=True):
        _draw(ax, part, label)
    axes[0].set_title(title[:80], fontsize=10, parse_math=False)  # a name's `$` is a dollar, not maths
    axes[-1].set_xlabel("round")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _draw(ax: "Axes", points: list[TrendPoint], label: str) -> None:
    lines: dict[str, list[TrendPoint]] = defaultdict(list)
    for point in points:
        lines[point.key].append(point)
    for key, series in lines.items():
        ax.plot([p.round_number for p in series], [p.score for p in series], marker="o", label=key)
    ax.set_ylabel(label)
    ax.set_ylim(*((1, 5) if label.startswith("average") else (-100, 100)))
    ax.set_xticks(sorted({p.round_number for p in points}))
    ax.grid(alpha=0.3)
    for text in ax.legend(fontsize=7, loc="lower left").get_texts():
        text.set_parse_math(False)
