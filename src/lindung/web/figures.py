"""Numbers as a reader of the page's language expects them.

Numbers are formatted by ``lindung.i18n`` (``1.234,5`` in Indonesian, ``1,234.5`` in
English); charts get its d3-format locale (``d3_format_locale``), so a table and its chart
agree to the last separator. The ASEAN map is ``lindung.charts.topology``'s, the TopoJSON
vendored under ``static/map``.
"""

from __future__ import annotations

from lindung.i18n.formatting import format_rounded

#: Figures with their decimals as the page's language writes them (``lindung.i18n``'s one
#: formatter, shared with the reports).
number = format_rounded
