"""Figures of one measure drawn as a bar chart: server-rendered SVG, no script; the page prints the same numbers as a table."""

from dataclasses import dataclass
from itertools import groupby

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
