"""The validated catalogue: look-ups of indicators, member states, areas and codes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, PrivateAttr

from lindung.errors import UnknownCode
from lindung.framework.models import (
    AgencyCodes,
    Aggregate,
    Codelist,
    Indicator,
    MemberState,
    Pillar,
)


def _hint(code: str, known: Iterable[str], listing: str) -> str:
    """Return 'did you mean X?' for close matches of ``code``, else where to find valid codes."""
    candidates = list(known)
    by_upper = {candidate.upper(): candidate for candidate in candidates}
    matches = difflib.get_close_matches(code.upper(), list(by_upper), n=3, cutoff=0.6)
    if matches:
        return "did you mean " + " or ".join(by_upper[match] for match in matches) + "?"
    return f"see {listing} for the valid codes"


class Catalogue(BaseModel):
    """The indicator framework of one version: what Lindung measures and how it is coded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    pillars: list[Pillar]
    indicators: list[Indicator]
    codelists: dict[str, Codelist]
    member_states: list[MemberState]
    aggregates: list[Aggregate]
    #: How agencies that publish SDMX in their own codes (ILOSTAT) code it: the crosswalk's
    #: code mapping, read by ``lindung import sdmx``.
    agency_codes: list[AgencyCodes] = []

    _by_code: dict[str, Indicator] = PrivateAttr(default_factory=dict)
    _by_iso3: dict[str, MemberState] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        """Index indicators by code and member states by ISO3 code."""
        self._by_code = {indicator.code: indicator for indicator in self.indicators}
        self._by_iso3 = {state.iso3: state for state in self.member_states}

    def indicator(self, code: str) -> Indicator:
        """Return the indicator with series ``code``; UnknownCode suggests close matches."""
        found = self._by_code.get(code)
        if found is None:
            hint = _hint(code, self._by_code, "`lindung framework list` (on the site: /indicators)")
            raise UnknownCode("series", code, hint)
        return found

    def member_state(self, iso3: str) -> MemberState:
        """Return the member state with ISO 3166 alpha-3 code ``iso3``."""
        found = self._by_iso3.get(iso3)
        if found is None:
            raise UnknownCode(
                "country",
                iso3,
                _hint(iso3, self._by_iso3, "`lindung countries` (on the site: /countries)"),
            )
        return found

    def agency(self, agency: str) -> AgencyCodes | None:
        """Return how ``agency`` (an SDMX agency id, e.g. ``ILO``) codes its data, if known."""
        return next((a for a in self.agency_codes if a.agency == agency), None)

    def pillar(self, code: str) -> Pillar:
        """Return the pillar with ``code``."""
        for pillar in self.pillars:
            if pillar.code == code:
                return pillar
        hint = _hint(code, (pillar.code for pillar in self.pillars), "the catalogue")
        raise UnknownCode("pillar", code, hint)

    @property
    def areas(self) -> list[str]:
        """Every valid ``ref_area``: the member states' ISO3 codes, then the aggregates."""
        return [state.iso3 for state in self.member_states] + [a.code for a in self.aggregates]

    def codelist(self, dimension: str) -> Codelist:
        """Return the codelist of ``dimension`` (either case: 'sex' or 'SEX')."""
        found = self.codelists.get(dimension.lower())
        if found is None:
            hint = _hint(dimension.lower(), self.codelists, "the catalogue's codelists")
            raise UnknownCode("dimension", dimension, hint)
        return found

    def codes(self, dimension: str) -> set[str]:
        """Return the valid codes of ``dimension``, always including the total ``_T``."""
        return self.codelist(dimension).code_set()
