"""The indicator framework: the catalogue of what Lindung measures, and the member states.

``load_catalogue()`` returns the shipped catalogue (YAML under ``framework/catalogue/``),
validated and cached; ``load_catalogue(path)`` loads a custom one.
"""

from lindung.framework.catalogue import Catalogue
from lindung.framework.loader import load_catalogue
from lindung.framework.models import (
    Aggregate,
    Code,
    Codelist,
    Computation,
    CrosswalkEntry,
    Indicator,
    MemberState,
    Pillar,
    SdgLink,
    Target,
    Text,
)

__all__ = [
    "Aggregate",
    "Catalogue",
    "Code",
    "Codelist",
    "Computation",
    "CrosswalkEntry",
    "Indicator",
    "MemberState",
    "Pillar",
    "SdgLink",
    "Target",
    "Text",
    "load_catalogue",
]
