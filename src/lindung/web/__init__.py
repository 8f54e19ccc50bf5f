"""Lindung's face: the web dashboard (server-rendered pages) and the JSON API ``/api/v1``.

The pages and the API read through ``store`` and ``assess`` and write through ``ingest``;
nothing here holds SQL or a business rule. ``create_app`` builds the ASGI application that
``lindung serve`` runs.
"""

from lindung.web.app import create_app

__all__ = ["create_app"]
