"""The timeline of an evolving figure on the HTML report: value against as_of, one point a stated figure.

The figures are converted to the fact's unit first ("3 weeks" in a fact counted in days: 21).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from audit.reconcile import unit_factors

if TYPE_CHECKING:
    from audit.report.page_data import ClaimView

#: What a fact's figures are converted with: the unit table (reconcile.unit_table) and the scale words.
Units = tuple[Mapping, Mapping]


@dataclass(frozen=True)
class Point:
    """One stated figure on a timeline: its place, the hedge's bar and what hovering says."""

    x: float
    y: float
    bar_top: float
    bar_bottom: float
    open_top: bool
    kind: str  # "stated", "copy" or "denied"
    label: str  # what hovering says: outlet, value as written, day
    value: str  # the value as written, beside the point ("" for a copy or a repeat, beside the first)


@dataclass(frozen=True)
class Timeline:
    """An evolving figure drawn as value against as_of: one point per stated figure."""

    width: int
    height: int
    left: int
    right: int
    bottom: int
    points: tuple[Point, ...]
    x_ticks: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, str], ...]
    line: str  # SVG points of the stated (not copied, not denied) figures in date order
    year: str  # the year of the days, when they share one ("" otherwise), said under the axis


def _figure(value: float | None, unit: str, missing: str) -> str:
    """A figure with its unit ("50", "10 days", "2,300,000,000 USD", "61%"); `missing` when there is none."""
    if value is None:
        return missing
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"
    if unit == "percent":
        return number + "%"
    return f"{number} {unit}{'s' if unit in ('day', 'week', 'month', 'year') and value != 1 else ''}".strip()


# --- timeline -----------------------------------------------------------------------------------------

_WIDTH, _HEIGHT, _LEFT, _RIGHT, _TOP, _BOTTOM = 480, 210, 58, 16, 14, 40


def _in_unit(claim: ClaimView, unit: str, units: Units) -> ClaimView:
    """A claim with its value, low and high in the fact's unit ("3 weeks" in a fact counted in days: 21)."""
    if not claim.unit or claim.unit == unit:
        return claim
    base, factor, low, high = unit_factors(claim.unit, *units)
    if base != unit:
        return claim
    scaled = {"value": claim.value, "low": claim.low, "high": claim.high}
    for name, times in (("value", factor), ("low", low), ("high", high)):
        if scaled[name] is not None:
            scaled[name] *= times
    return replace(claim, **scaled)


def _timeline(claims: list[ClaimView], unit: str, units: Units) -> Timeline | None:
    """Value against as_of, one point per stated figure, the hedge's low–high as a bar; undated at the right."""
    figures = [_in_unit(c, unit, units) for c in claims if c.value is not None]
    if not figures:
        return None
    days = sorted({_day(c.as_of) for c in figures} - {None})
    undated = any(_day(c.as_of) is None for c in figures)
    top = _nice(max(max(c.value, c.low or 0, c.high or 0) for c in figures) * 1.1)
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    spread = (days[-1] - days[0]) if len(days) > 1 else 0
    dated_w = plot_w * (0.8 if undated and days else 1.0)  # undated figures get a slot of their own

    def x_of(day: int | None) -> float:
        """Where a day (None: undated) sits across the plot."""
        if day is None:
            return _LEFT + (plot_w * 0.9 if days else plot_w / 2)
        if not spread:
            return _LEFT + dated_w / 2
        return _LEFT + 24 + (dated_w - 48) * (day - days[0]) / spread

    def y_of(value: float) -> float:
        """Where a value sits up the plot (0 at the bottom)."""
        return _TOP + plot_h * (1 - min(value, top) / top)

    points, taken = [], {}
    for claim in figures:
        x = x_of(_day(claim.as_of))
        y = y_of(claim.value)
        shift = taken[(x, y)] = taken.get((x, y), -1) + 1  # copies state the same figure the same day
        x += 9 * shift
        low = claim.low if claim.low is not None else (0.0 if claim.high is not None else claim.value)
        high = claim.high if claim.high is not None else (top if claim.low is not None else claim.value)
        kind = "denied" if claim.denied else "copy" if claim.copy_of else "stated"
        label = f"{claim.outlet}: {claim.written}, as of {claim.as_of or 'no date'}"
        open_top = claim.high is None and claim.low is not None
        written = "" if kind == "copy" or shift else claim.written  # a figure said twice that day: one label
        points.append(Point(x, y, y_of(high), y_of(low), open_top, kind, label, written))
    stated = sorted((p.x, p.y) for p in points if p.kind == "stated")
    x_ticks = tuple((x_of(d), _tick_day(d, days)) for d in _thin(days))
    x_ticks += ((x_of(None), "no date"),) if undated else ()
    y_ticks = tuple((y_of(v), _figure(v, unit, "")) for v in (0, top / 2, top))
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in stated)
    years = {date.fromordinal(d).year for d in days}
    year = str(years.pop()) if len(years) == 1 else ""
    bottom = _HEIGHT - _BOTTOM
    return Timeline(_WIDTH, _HEIGHT, _LEFT, _WIDTH - _RIGHT, bottom, tuple(points), x_ticks, y_ticks, line, year)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _tick_day(day: int, days: list[int]) -> str:
    """A day on the timeline's axis: "Mar 10", with the year when the days span more than one ("Mar 10 2023")."""
    moment = date.fromordinal(day)
    years = {date.fromordinal(d).year for d in days}
    return f"{_MONTHS[moment.month - 1]} {moment.day}" + (f" {moment.year}" if len(years) > 1 else "")


def _day(as_of: str) -> int | None:
    """An ISO day as a day number, None when there is none."""
    try:
        return date.fromisoformat(as_of[:10]).toordinal()
    except ValueError:
        return None


def _thin(days: list[int], most: int = 6) -> list[int]:
    """At most `most` tick days, first and last kept."""
    if len(days) <= most:
        return days
    step = (len(days) - 1) / (most - 1)
    return sorted({days[round(i * step)] for i in range(most)})


def _nice(value: float) -> float:
    """A round top for an axis (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten), at least value and 1."""
    if value <= 1:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)
