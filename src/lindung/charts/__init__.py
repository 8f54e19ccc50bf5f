"""Charts as Vega-Lite specs: pure functions from data rows to a spec dict, data inlined.

The same spec draws the chart in the browser (vega-embed, vendored under ``web/static``) and
the SVG of a PDF report (vl-convert), so a figure looks the same wherever it is seen. Callers
pass every word already translated (title, axis titles, the description read out by screen
readers) and the d3-format locale of the reader's language (``1.234,5`` in Indonesian); the
charts choose nothing by language themselves. Each chart has a table alternative in its page.
"""

from lindung.charts.availability import availability_heatmap
from lindung.charts.map import choropleth
from lindung.charts.series import sparkline, time_series

__all__ = ["availability_heatmap", "choropleth", "sparkline", "time_series"]
