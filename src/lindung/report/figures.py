"""Figures of a report: the shared Vega-Lite specs of ``lindung.charts`` drawn offline to SVG.

vl-convert draws each spec with its data inlined (a ``file://`` data URL would draw an empty
chart without a word) and no access to any URL. Every word of a chart is set in the font the
report ships, DejaVu Sans (``fonts/``, registered with vl-convert here and declared with
``@font-face`` in the report's stylesheet), so the SVG's text and the page's text are one font
in the HTML and in the PDF. Numbers follow the reader's language through the d3-format locale of
``lindung.i18n`` (Indonesian: decimal comma, thousands dot), which vl-convert lacks.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import as_file, files
from typing import Any

from lindung.i18n.formatting import d3_format_locale

#: The one font of a report's text and charts, shipped under ``report/fonts`` with its licence.
FONT_FAMILY = "DejaVu Sans"
FONT_FILES = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
#: The width of a chart on an A4 page (points of the SVG; the page's CSS scales it to fit).
CHART_WIDTH = 460


@dataclass(frozen=True)
class Figure:
    """A numbered figure: its SVG, title, and the caption's source and framework version."""

    number: int
    title: str
    svg: str
    sources: tuple[str, ...]
    framework_version: str


@cache
def _fonts_registered() -> bool:
    """Register the shipped font directory with vl-convert, once per process."""
    import vl_convert

    with as_file(files("lindung.report").joinpath("fonts")) as folder:
        vl_convert.register_font_directory(str(folder))
    return True


def svg(spec: Mapping[str, Any], language: str) -> str:
    """Return ``spec`` drawn as SVG in the report's font and ``language``'s number format."""
    import vl_convert

    _fonts_registered()
    chart = copy.deepcopy(dict(spec))
    config = chart.setdefault("config", {})
    config["font"] = FONT_FAMILY
    if chart.get("width") == "container":
        chart["width"] = CHART_WIDTH
    drawn: str = vl_convert.vegalite_to_svg(
        chart, format_locale=d3_format_locale(language), allowed_base_urls=[]
    )
    return drawn


class Figures:
    """The figures of one report, numbered in the order they are made."""

    def __init__(self, language: str, framework_version: str) -> None:
        self.language = language
        self.framework_version = framework_version
        self.made: list[Figure] = []

    def add(self, spec: Mapping[str, Any], *, title: str, sources: Iterable[str]) -> Figure:
        """Draw ``spec`` and return it as the next figure, captioned with ``sources``."""
        figure = Figure(
            number=len(self.made) + 1,
            title=title,
            svg=svg(spec, self.language),
            sources=tuple(sorted({s for s in sources if s})),
            framework_version=self.framework_version,
        )
        self.made.append(figure)
        return figure
