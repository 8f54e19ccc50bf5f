"""The catalogue's building blocks: indicators, codelists, pillars and member states.

Each model validates one entry of the YAML catalogue on its own; checks that need the whole
catalogue (unique codes, references between entries) live in ``lindung.framework.checks``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SeriesCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]
DimensionName = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z_]*$")]
UpperCode = Annotated[str, StringConstraints(pattern=r"^(_T|[A-Z0-9][A-Z0-9_]*)$")]

Polarity = Literal["higher_is_better", "lower_is_better", "neutral"]
Unit = Literal["percent", "ratio", "index", "LCU", "PPP$", "int$_2011", "persons", "count"]
Tier = Literal["I", "II", "III"]
LifeDimension = Literal["income_security", "health", "education", "care", "employment"]
Method = Literal["reported", "formula", "survey", "registry"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in English (``en``) and Bahasa Indonesia (``id``); both are required."""

    en: NonEmpty
    id: NonEmpty

    def get(self, language: str) -> str:
        """Return the text in ``language`` ('en' or 'id'), falling back to English."""
        return self.id if language == "id" else self.en


class Computation(_Strict):
    """How an indicator is obtained: reported as is, a formula over series, or a survey estimator.

    A formula is ``multiplier * numerator / denominator`` (DHIS2 style), both series codes.
    """

    method: Method
    numerator: SeriesCode | None = None
    denominator: SeriesCode | None = None
    multiplier: float | None = None
    estimator: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")] | None = None

    @model_validator(mode="after")
    def _fields_match_method(self) -> Computation:
        formula_fields = (self.numerator, self.denominator)
        if self.method == "formula":
            if None in formula_fields:
                raise ValueError("a formula needs both numerator and denominator")
            if self.estimator is not None:
                raise ValueError("a formula has no estimator")
        elif self.method in ("survey", "registry"):
            if self.estimator is None:
                raise ValueError(f"a {self.method} computation needs an estimator")
            if formula_fields != (None, None) or self.multiplier is not None:
                raise ValueError(
                    f"a {self.method} computation has no numerator, denominator or multiplier"
                )
        elif (*formula_fields, self.multiplier, self.estimator) != (None, None, None, None):
            raise ValueError("a reported indicator has no numerator, denominator or estimator")
        return self

    def summary(self) -> dict[str, Any]:
        """Return the computation as a plain dict without empty fields."""
        return self.model_dump(exclude_none=True)


class SdgLink(_Strict):
    """The SDG goal, target, indicator and series an indicator reports, with its IAEG tier."""

    goal: Annotated[int, Field(ge=1, le=17)]
    target: Annotated[str, StringConstraints(pattern=r"^\d{1,2}\.[0-9a-z]{1,2}$")]
    indicator: Annotated[str, StringConstraints(pattern=r"^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}$")]
    series: SeriesCode | None = None
    tier: Tier

    @model_validator(mode="after")
    def _nested_codes(self) -> SdgLink:
        if not self.target.startswith(f"{self.goal}."):
            raise ValueError(f"target {self.target} is not under goal {self.goal}")
        if not self.indicator.startswith(f"{self.target}."):
            raise ValueError(f"indicator {self.indicator} is not under target {self.target}")
        return self


class CrosswalkEntry(_Strict):
    """An international agency's equivalent definition and how it differs from this one, the
    ``note`` in both languages as the indicator's own texts are (pages show it in theirs).

    ``key`` holds the agency's dimension codes that pick this series out of the agency's
    indicator ``code`` (ILOSTAT's SDG_0131_SEX_SOC_RT holds every SDG 1.3.1 series, told apart
    by its SOC dimension); empty when the agency's indicator is this series alone.
    """

    agency: NonEmpty
    code: NonEmpty
    note: Text
    key: dict[DimensionName, NonEmpty] = {}


class AgencyDimension(_Strict):
    """One of an agency's SDMX dimensions, the framework codelist it stands for, and the
    framework code of each of the agency's codes (ILOSTAT's ``SEX_T`` is ``_T``)."""

    id: DimensionName
    codelist: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]*$")]
    codes: dict[NonEmpty, UpperCode]


class AgencyCodes(_Strict):
    """How an agency codes its own SDMX data and what each code is in the framework: the
    dataflow of each of its indicators (``dataflow_prefix`` + the crosswalk entry's code),
    how areas are coded, its units, its observation statuses (as the SDG DSD's OBS_STATUS)
    and its dimensions. ``source`` says where the agency documents these codes."""

    agency: NonEmpty
    dataflow_prefix: str = ""
    areas: Literal["ISO3", "M49"]
    units: dict[NonEmpty, Unit]
    obs_status: dict[NonEmpty, UpperCode] = {}
    dimensions: list[AgencyDimension]
    source: NonEmpty

    def dimension(self, id_: str) -> AgencyDimension | None:
        """Return the agency's dimension ``id_`` (e.g. ``SEX``), if the framework maps it."""
        return next((d for d in self.dimensions if d.id == id_), None)


class Target(_Strict):
    """A regional target: reach ``value`` by ``year``, measured from ``baseline_year``."""

    value: float | None = None
    year: Annotated[int, Field(ge=2000, le=2100)]
    baseline_year: Annotated[int, Field(ge=1990, le=2100)]
    note: Text

    @model_validator(mode="after")
    def _target_after_baseline(self) -> Target:
        if self.year < self.baseline_year:
            raise ValueError(
                f"target year {self.year} is before the baseline year {self.baseline_year}"
            )
        return self


class Indicator(_Strict):
    """One series of the monitoring framework, with its definition, links and disaggregations."""

    code: SeriesCode
    name: Text
    definition: Text
    unit: Unit
    polarity: Polarity
    pillar: NonEmpty
    computation: Computation
    sdg: SdgLink | None = None
    custodian: NonEmpty
    crosswalk: list[CrosswalkEntry] = []
    disaggregations: list[DimensionName] = []
    groups: list[UpperCode] = []
    #: The codes that make sense for this series, by dimension (e.g. the age bands of an
    #: unemployment rate start at 15); a dimension not listed takes its whole codelist.
    codes: dict[DimensionName, list[UpperCode]] = {}
    life_dimension: LifeDimension | None = None
    target: Target | None = None
    source: NonEmpty

    def summary(self) -> dict[str, Any]:
        """Return the fields listing commands print (the JSON keys of ``framework list``)."""
        return {
            "code": self.code,
            "name": self.name.model_dump(),
            "unit": self.unit,
            "polarity": self.polarity,
            "pillar": self.pillar,
            "computation": self.computation.summary(),
            "sdg_indicator": self.sdg.indicator if self.sdg else None,
            "sdg_series": self.sdg.series if self.sdg else None,
            "tier": self.sdg.tier if self.sdg else None,
            "custodian": self.custodian,
            "crosswalk": [entry.model_dump() for entry in self.crosswalk],
            "disaggregations": list(self.disaggregations),
            "groups": list(self.groups),
            "life_dimension": self.life_dimension,
        }


class Pillar(_Strict):
    """A heading under which indicators are grouped (coverage, adequacy, outcomes...)."""

    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]*$")]
    name: Text


class Code(_Strict):
    """One code of a codelist with its name."""

    code: UpperCode
    name: Text


class Codelist(_Strict):
    """The valid codes of one disaggregation dimension; an open list also accepts new codes."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]*$")]
    title: Text
    open: bool = False
    codes: list[Code]

    def code_set(self) -> set[str]:
        """Return the codes as a set, always including the total ``_T``."""
        return {entry.code for entry in self.codes} | {"_T"}

    def accepts(self, code: str) -> bool:
        """Return whether ``code`` is valid here: listed, or upper-case when the list is open."""
        if code in self.code_set():
            return True
        return self.open and code.isupper() and code.replace("_", "").isalnum()


class MemberState(_Strict):
    """An ASEAN Member State: ISO 3166 alpha-3 and UN M49 codes, names, year of accession."""

    iso3: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    m49: Annotated[int, Field(ge=1, le=999)]
    name: Text
    member_since: Annotated[int, Field(ge=1967, le=2100)]


class Aggregate(_Strict):
    """A reporting area made of several member states (ASEAN, ASEAN10) or the world."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*$")]
    name: Text
    m49: Annotated[int, Field(ge=1, le=999)] | None = None
    members: list[str] = []
