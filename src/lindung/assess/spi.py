"""The ADB Social Protection Indicator (SPI): expenditure per intended beneficiary relative to
GDP per capita, with its depth and breadth, by program area, by sex and for poor and non-poor.
All three are percentages, the unit of ASP_SPI, ASP_SPI_DEPTH and ASP_SPI_BREADTH in the
catalogue:

    SPI        = 100 (E / B_intended) / Y       E: expenditure, Y: GDP per capita
    depth_k    = 100 (E_k / B_actual,k) / Y     average benefit of a beneficiary of k
    breadth_k  = 100 B_actual,k / B_intended    share of all intended beneficiaries reached by k
    SPI_k      = depth_k x breadth_k / 100 = 100 (E_k / B_intended) / Y

Every part shares the denominator B_intended (all intended beneficiaries of social
protection), so the SPIs of the program areas (social insurance, social assistance, labour
market) add up to the total, as do those of women and men and of the poor and non-poor
(ADB 2016, The Social Protection Indicator: Assessing Results for Asia). Before 2016 ADB
divided by a quarter of GDP per capita; ``quarter_gdp=True`` does that (values 4x larger) and
the result says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from lindung.errors import AssessmentError
from lindung.text import in_number, shown_number

PROGRAM_AREAS = ("SI", "SA", "LM")
#: The catalogue's unit of the SPI, its depth and its breadth.
UNIT = "percent"
CONVENTION_2016 = "ADB 2016: denominator GDP per capita"
CONVENTION_PRE_2016 = "ADB before 2016: denominator one quarter of GDP per capita"


@dataclass(frozen=True)
class SpiInput:
    """Spending and beneficiaries of one program area for one part of the population.

    ``program`` is SI, SA or LM; ``sex`` is F, M or _T; ``poverty`` is POOR, NONPOOR or _T.
    """

    program: str
    expenditure: float
    beneficiaries: float
    sex: str = "_T"
    poverty: str = "_T"


class Spi(TypedDict):
    """The SPI of one breakdown (the total, a program area, a sex, poor or non-poor), in
    percent, with the amounts it was computed from."""

    series: str
    ref_area: str
    time_period: int
    breakdown: str
    program: str
    sex: str
    group: str
    spi: float
    depth: float | None
    breadth: float
    unit: str
    expenditure: float
    beneficiaries: float
    intended_beneficiaries: float
    gdp_per_capita: float
    convention: str


def social_protection_indicator(
    parts: Sequence[SpiInput],
    *,
    intended_beneficiaries: float,
    gdp_per_capita: float,
    ref_area: str,
    time_period: int,
    quarter_gdp: bool = False,
) -> list[Spi]:
    """Return the SPI with depth and breadth, in percent: the total, each program area, each
    sex and poor and non-poor (each a row; the rows of one breakdown add up to the total SPI)."""
    where = f"SPI for {ref_area} {time_period}"
    _check_amounts(parts, intended_beneficiaries, gdp_per_capita, where)
    unknown = sorted({part.program for part in parts} - set(PROGRAM_AREAS))
    if unknown:
        raise AssessmentError(
            f"{where}: unknown program {in_number(len(unknown), 'area')} {', '.join(unknown)}; "
            f"use {', '.join(PROGRAM_AREAS)}"
        )
    reference = gdp_per_capita / 4 if quarter_gdp else gdp_per_capita
    convention = CONVENTION_PRE_2016 if quarter_gdp else CONVENTION_2016
    breakdowns: list[tuple[str, str, list[SpiInput]]] = [("total", "_T", _totals(parts))]
    for program in PROGRAM_AREAS:
        chosen = [p for p in parts if p.program == program and p.sex == "_T" and p.poverty == "_T"]
        if chosen:
            breakdowns.append(("program", program, chosen))
    for dimension, codes, attribute in (
        ("sex", ("F", "M"), "sex"),
        ("poverty", ("POOR", "NONPOOR"), "poverty"),
    ):
        for code in codes:
            chosen = [p for p in parts if getattr(p, attribute) == code]
            if chosen:
                breakdowns.append((dimension, code, chosen))
    rows: list[Spi] = []
    for breakdown, code, chosen in breakdowns:
        expenditure = sum(p.expenditure for p in chosen)
        beneficiaries = sum(p.beneficiaries for p in chosen)
        breadth = 100 * beneficiaries / intended_beneficiaries
        depth = 100 * (expenditure / beneficiaries) / reference if beneficiaries > 0 else None
        rows.append(
            Spi(
                series="ASP_SPI",
                ref_area=ref_area,
                time_period=time_period,
                breakdown=breakdown,
                program=code if breakdown == "program" else "_T",
                sex=code if breakdown == "sex" else "_T",
                group=code if breakdown == "poverty" else "_T",
                spi=100 * (expenditure / intended_beneficiaries) / reference,
                depth=depth,
                breadth=breadth,
                unit=UNIT,
                expenditure=expenditure,
                beneficiaries=beneficiaries,
                intended_beneficiaries=intended_beneficiaries,
                gdp_per_capita=gdp_per_capita,
                convention=convention,
            )
        )
    return rows


def _totals(parts: Sequence[SpiInput]) -> list[SpiInput]:
    """The parts that make the whole: totals by program area where given, else the sexes."""
    totals = [p for p in parts if p.sex == "_T" and p.poverty == "_T"]
    if totals:
        return totals
    return [p for p in parts if p.sex in ("F", "M") and p.poverty == "_T"]


def _check_amounts(
    parts: Sequence[SpiInput], intended: float, gdp_per_capita: float, where: str
) -> None:
    """Raise AssessmentError naming the first amount that is not a finite number of 0 or more
    (intended beneficiaries and GDP per capita: above 0); one would make every SPI of the
    country infinite or undefined."""
    for part in parts:
        for name, amount in (
            ("expenditure", part.expenditure),
            ("beneficiaries", part.beneficiaries),
        ):
            if not (math.isfinite(amount) and amount >= 0):
                raise AssessmentError(
                    f"{where}: {name} of {part.program} (sex {part.sex}, poverty "
                    f"{part.poverty}) is {shown_number(amount)}; it must be a finite number of 0 "
                    "or more"
                )
    for name, amount in (
        ("intended beneficiaries", intended),
        ("GDP per capita", gdp_per_capita),
    ):
        if not (math.isfinite(amount) and amount > 0):
            raise AssessmentError(
                f"{where}: {name} must be a finite positive number, got "
                f"{shown_number(amount)}; check the input"
            )
