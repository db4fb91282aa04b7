"""The digest's PNG chart: the week's resolutions by category (and the pulse trend when there is one).

Drawn on a bare matplotlib `Figure` with the Agg canvas: no pyplot, no global state, safe in threads.
"""

import io
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from services.digest.resolutions import CategoryLine
from services.digest.weekly import Digest

MAX_BARS = 8


def digest_chart(digest: Digest) -> bytes:
    trend = digest.pulse.trend if digest.pulse is not None else ()
    return chart_png(digest.resolutions.categories, title=f"Customer fixes, {digest.week.label}", pulse_trend=trend)


def chart_png(
    categories: Sequence[CategoryLine], *, title: str, pulse_trend: Sequence[tuple[str, float]] = ()
) -> bytes:
    figure = Figure(figsize=(6.4, 3.2 if not pulse_trend else 5.6), dpi=100)
    FigureCanvasAgg(figure)
    rows = 2 if pulse_trend else 1
    _categories(figure.add_subplot(rows, 1, 1), categories[:MAX_BARS], title)
    if pulse_trend:
        _trend(figure.add_subplot(rows, 1, 2), pulse_trend)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _categories(axes: Axes, lines: Sequence[CategoryLine], title: str) -> None:
    names = [line.category for line in reversed(lines)]
    axes.barh(
        range(len(names)),
        [line.last_week for line in reversed(lines)],
        height=0.8,
        color="#d0d7de",
        label="last week",
    )
    axes.barh(
        range(len(names)), [line.count for line in reversed(lines)], height=0.45, color="#2f6feb", label="this week"
    )
    axes.set_yticks(range(len(names)), names)
    axes.set_title(title)
    axes.set_xlabel("resolutions")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(loc="lower right", fontsize="small")
    if not lines:
        axes.text(0.5, 0.5, "no fixes logged", ha="center", va="center", transform=axes.transAxes)


def _trend(axes: Axes, trend: Sequence[tuple[str, float]]) -> None:
    axes.plot([label for label, _ in trend], [score for _, score in trend], marker="o", color="#8250df")
    axes.set_title("Team pulse")
    axes.set_ylabel("score")
