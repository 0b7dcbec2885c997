"""Figures of one measure drawn as a bar chart: server-rendered SVG, no script; the page prints the same numbers as a table."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from publishing.models import period_end

WIDTH = 640
LABEL_WIDTH = 150  # the dates, left of the bars
VALUE_WIDTH = 170  # the value in words, right of the longest bar
ROW = 36


@dataclass
class Bar:
    figure: object
    y: int
    width: float

    @property
    def value_x(self):
        return LABEL_WIDTH + self.width + 8


@dataclass
class Series:
    label: str
    unit: str
    figures: list

    @property
    def bars(self):
        """One bar a figure, as long as its share of the largest; none for a single figure or undated ones."""
        if len(self.figures) < 2 or any(figure.as_of is None for figure in self.figures):
            return []
        largest = max(figure.value for figure in self.figures) or 1
        span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
        return [Bar(figure, index * ROW, float(figure.value / largest) * span) for index, figure in enumerate(self.figures)]

    @property
    def height(self):
        return len(self.figures) * ROW


def series(figures):
    """The figures (ordered by label, unit and date) grouped into series of one label and unit."""
    return [Series(label, unit, list(group)) for (label, unit), group in groupby(figures, key=lambda figure: figure.series_key)]


@dataclass
class Point:
    report: object
    x: float
    y: float


class TargetChart:
    """A target as a horizontal line and its dated reports in its unit as points, over the years from the first to
    the last of them and the deadline; none without such a report. The page prints the same numbers as a table."""

    height = 220
    left, right, top, bottom = 60, 20, 20, 40

    def __init__(self, target):
        self.target = target
        self.reports = [report for report in target.reports.all() if report.as_of is not None and report.unit == target.unit]
        dates = [self.end(report) for report in self.reports] + [target.due_by]
        self.first, self.last = min(dates).year, max(dates).year + 1
        self.top_value = max([target.value, *(report.value for report in self.reports)]) * Decimal("1.1") or 1

    def x(self, date):
        span = (self.last - self.first) or 1
        return self.left + (date.year - self.first + (date.timetuple().tm_yday - 1) / 366) / span * (WIDTH - self.left - self.right)

    def y(self, value):
        return self.top + (1 - float(value / self.top_value)) * (self.height - self.top - self.bottom)

    @property
    def drawn(self):
        return bool(self.reports)

    @property
    def target_y(self):
        return self.y(self.target.value)

    @property
    def deadline_x(self):
        return self.x(self.target.due_by)

    @staticmethod
    def end(report):
        """Where a report stands on the time axis: the end of the year, month or day it describes."""
        return period_end(report.as_of, report.as_of_precision)

    @property
    def points(self):
        return [Point(report, self.x(self.end(report)), self.y(report.value)) for report in self.reports]

    @property
    def years(self):
        return [(year, self.x(datetime.date(year, 1, 1))) for year in range(self.first, self.last + 1)]

    @property
    def axis_y(self):
        return self.height - self.bottom
