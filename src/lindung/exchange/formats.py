"""The formats Lindung exchanges data in, named without loading the SDMX library.

The command line lists them in its options, and ``lindung --help`` must stay quick.
"""

from __future__ import annotations

import enum


class SdmxFormat(enum.StrEnum):
    """The formats ``lindung export sdmx`` writes."""

    csv1 = "csv1"
    csv2 = "csv2"
    ml = "ml"
