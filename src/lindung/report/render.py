"""Reports as HTML (Jinja2, every value escaped) and as PDF (WeasyPrint).

The HTML is one self-contained file: its stylesheet, its font (DejaVu Sans, as a data URL) and
its charts (SVG) are inside it, so it opens offline anywhere. The PDF is typeset from the same
HTML with the font read from the package's file instead (a 1 MB data URL costs WeasyPrint's
parser seconds); WeasyPrint fetches nothing else. The PDF numbers its pages and fills the
table of contents with them (CSS paged media: ``target-counter``); the HTML shows the same
contents as links.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader

from lindung import i18n
from lindung.errors import LindungError
from lindung.report.figures import FONT_FAMILY, FONT_FILES

#: What Debian calls the libraries WeasyPrint draws text with (Pango, its FreeType backend,
#: HarfBuzz and its subset library, Fontconfig); the Makefile's weasyprint target installs them.
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1"


@cache
def _font_urls(embedded: bool) -> dict[str, str]:
    """Return each weight of the report's font as a ``data:`` URL (``embedded``) or as the
    ``file:`` URL of the package's file."""
    folder = files("lindung.report").joinpath("fonts")
    if not embedded:
        return {
            weight: Path(str(folder.joinpath(name))).resolve().as_uri()
            for weight, name in FONT_FILES.items()
        }
    return {
        weight: "data:font/ttf;base64,"
        + base64.b64encode(folder.joinpath(name).read_bytes()).decode("ascii")
        for weight, name in FONT_FILES.items()
    }


def _environment(language: str) -> Environment:
    environment = Environment(
        loader=PackageLoader("lindung.report", "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: i18n.gettext(message, language),
        ngettext=lambda one, many, n: i18n.ngettext(one, many, n, language),
        newstyle=True,
    )
    return environment


def render_html(
    template: str, context: Mapping[str, Any], language: str, *, for_print: bool = False
) -> str:
    """Return the report ``template`` (``regional.html`` or ``country.html``) filled with
    ``context`` (``regional.regional_report``, ``country.country_profile``) in ``language``;
    ``for_print``: the font as a file, for ``render_pdf``, else inside the page."""
    page = _environment(language).get_template(template)
    return page.render(
        {
            **context,
            "language": language,
            "font_family": FONT_FAMILY,
            "font_urls": _font_urls(not for_print),
            "made_on": i18n.format_date(dt.date.today(), language, "long"),
        }
    )


def render_pdf(html: str) -> bytes:
    """Return ``html`` (a report from ``render_html(..., for_print=True)``) typeset as PDF."""
    try:
        import weasyprint
    except OSError as error:
        raise LindungError(
            f"PDF reports need Pango, which WeasyPrint cannot load ({error}); install it "
            f"(Debian/Ubuntu: apt-get install {PANGO_PACKAGES}) or write the report as .html"
        ) from None
    document: bytes = weasyprint.HTML(string=html).write_pdf()
    return document


def document(template: str, context: Mapping[str, Any], language: str, suffix: str) -> bytes:
    """Return the report as the bytes of a ``suffix`` file (``.pdf`` or ``.html``)."""
    if suffix == ".html":
        return render_html(template, context, language).encode("utf-8")
    return render_pdf(render_html(template, context, language, for_print=True))
