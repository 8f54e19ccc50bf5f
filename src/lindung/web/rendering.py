"""Pages from Jinja2 templates: every value escaped, every string translatable.

Autoescaping is on for every template, so an indicator name, a note or a file name holding
``<script>`` shows as text. Templates mark their words with ``_()`` (gettext, new style: the
translation is escaped too, and ``%(name)s`` placeholders are filled after translation); the
language is the request's (``web.locale``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from jinja2 import Environment, PackageLoader
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse

from lindung import i18n
from lindung.framework import load_catalogue
from lindung.i18n import reasons
from lindung.keys import DIMENSIONS
from lindung.web import locale, sessions
from lindung.web.assets import asset_url
from lindung.web.deps import site
from lindung.web.published import published_derived


def translate(message: str) -> str:
    """Return ``message`` in the request's language (for words made in Python, ``_()``)."""
    return i18n.gettext(message, locale.current.get())


def _ngettext(singular: str, plural: str, number: int) -> str:
    return i18n.ngettext(singular, plural, number, locale.current.get())


def progress_reason(row: Mapping[str, Any]) -> str | None:
    """Return why a progress row has its status, in the request's language; None where the
    row carries no reason code known to ``i18n.reasons`` (show its English ``reason``)."""
    code = row.get("reason_code")
    if not code:
        return None
    return reasons.progress_reason(str(code), row.get("reason_args") or {}, locale.current.get())


def aggregate_reason(row: Mapping[str, Any]) -> str | None:
    """Return why a regional aggregate row has no value, in the request's language ("" when
    it has one); None where the row carries no code known to ``i18n.reasons``."""
    if "reason_code" not in row:
        return None
    return reasons.aggregate_reason(
        str(row["reason_code"]), row.get("reason_args") or {}, locale.current.get()
    )


def tier_reason(row: Mapping[str, Any]) -> str | None:
    """Return why an indicator is in its ASEAN tier, in the request's language; None where the
    row carries no code known to ``i18n.reasons``."""
    code = row.get("reason_code")
    if not code:
        return None
    return reasons.tier_reason(str(code), row.get("reason_args") or {}, locale.current.get())


def matrix_summary(cell: Mapping[str, Any]) -> str | None:
    """Return a vulnerable-groups matrix cell's summary in the request's language; None where
    the cell carries no summary code known to ``i18n.reasons``."""
    code = cell.get("summary_code")
    if not code:
        return None
    return reasons.matrix_summary(str(code), cell.get("summary_args") or {}, locale.current.get())


def breakdown_words(row: Mapping[str, Any]) -> str:
    """Return the disaggregation of a row in the request's language, each dimension by its
    codelist's title and each code by its name ("Jenis kelamin: Perempuan; Program: PKH"),
    a code the codelist does not name as it is; "" for the total."""
    catalogue = load_catalogue()
    language = locale.current.get()
    parts = []
    for name in DIMENSIONS:
        code = row.get(name)
        if code in (None, "", "_T"):
            continue
        codelist = catalogue.codelists.get(name)
        if codelist is None:
            parts.append(f"{name} {code}")
            continue
        entry = next((item for item in codelist.codes if item.code == code), None)
        shown = entry.name.get(language) if entry is not None else str(code)
        parts.append(f"{codelist.title.get(language)}: {shown}")
    return "; ".join(parts)


def exact_number(value: float | None, signed: bool = False) -> str:
    """Return a value with every digit it has, in the request's number format ("38,2"), for
    a reviewer comparing figures as submitted; ``signed`` (a difference of two values) writes
    a plus before a positive and six significant digits, leaving out the binary remainder of
    the subtraction (40.0 - 38.7 is 1.3, not 1.2999999999999972)."""
    if value is None:
        return ""
    if signed:
        value = float(f"{value:.6g}")
    text = i18n.format_number(value, locale.current.get())
    return f"+{text}" if signed and value > 0 else text


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("lindung.web", "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Static files by their versioned address, so browsers keep them (``web.assets``).
    environment.globals["static"] = asset_url
    environment.globals["progress_reason"] = progress_reason
    environment.globals["matrix_summary"] = matrix_summary
    environment.globals["aggregate_reason"] = aggregate_reason
    environment.globals["tier_reason"] = tier_reason
    environment.globals["breakdown_words"] = breakdown_words
    environment.globals["exact_number"] = exact_number
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=translate, ngettext=_ngettext, newstyle=True
    )
    return environment


ENVIRONMENT = _environment()


def language_links(request: Request) -> list[tuple[str, str, bool]]:
    """Return (language, address of this page in it, whether it is the current one)."""
    current = locale.current.get()
    return [
        (language, str(request.url.include_query_params(lang=language)), language == current)
        for language in locale.LANGUAGES
    ]


def _html(request: Request, template: str, context: Mapping[str, Any], token: str) -> str:
    common = {
        "request": request,
        "language": locale.current.get(),
        "language_links": language_links(request),
        "user": getattr(request.state, "user", None),
        "csrf_token": token,
        "csrf_field": sessions.CSRF_FIELD,
    }
    return ENVIRONMENT.get_template(template).render({**common, **context})


def render(
    request: Request, template: str, context: Mapping[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Return the page ``template`` filled with ``context`` and the site's common parts."""
    token = sessions.csrf_token(request, site(request).secret)
    response = HTMLResponse(_html(request, template, context, token), status_code=status_code)
    sessions.remember_csrf(request, response)
    return response


#: Stands for the visitor's CSRF token in a page kept for anonymous visitors: random per
#: process, so that no page's content holds it.
_TOKEN_MARK = f"csrf-{secrets.token_hex(16)}"


def render_published(
    request: Request,
    connection: Connection,
    template: str,
    what: Hashable,
    make_context: Callable[[], Mapping[str, Any]],
) -> HTMLResponse:
    """Return the page ``template`` filled with ``make_context()``, for a page that published
    values decide (``web.published``; ``what`` names all else it depends on, the language
    included). Its context is made once per process until the next publication; so is the
    whole page for anonymous visitors, whose pages differ only by their CSRF token."""
    context = published_derived(connection, ("context", template, what), make_context)
    if getattr(request.state, "user", None) is not None:
        return render(request, template, context)
    html = published_derived(
        connection,
        ("anonymous page", template, what, str(request.url)),
        lambda: _html(request, template, context, _TOKEN_MARK),
    )
    token = sessions.csrf_token(request, site(request).secret)
    response = HTMLResponse(html.replace(_TOKEN_MARK, token))
    sessions.remember_csrf(request, response)
    return response
