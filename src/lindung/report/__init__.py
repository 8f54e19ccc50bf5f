"""The ASEAN Social Protection Monitoring Report and the member states' profiles, in HTML and
PDF, in English and Bahasa Indonesia.

``read_report_data`` reads the store's published values of a year; ``assess`` makes every
judgment once (``lindung.assess``); ``regional_report`` and ``country_profile`` choose and word
what each report shows; ``render_html`` fills its template and ``render_pdf`` typesets it.
Charts are the Vega-Lite specs of ``lindung.charts``, drawn to SVG offline (``figures``).
"""

from lindung.report.assessment import Assessment, assess
from lindung.report.country import country_profile
from lindung.report.data import ReportData, read_report_data
from lindung.report.regional import regional_report
from lindung.report.render import render_html, render_pdf

__all__ = [
    "Assessment",
    "ReportData",
    "assess",
    "country_profile",
    "read_report_data",
    "regional_report",
    "render_html",
    "render_pdf",
]
