"""Why an assessment says what it says, in the reader's language and number format.

``lindung.assess`` gives each progress row a ``reason_code`` and its ``reason_args``
(``assess.progress.REASON_CODES``), each regional aggregate without a value its own
(``assess.aggregates.REASON_CODES``), and each cell of the vulnerable-groups matrix a
``summary_code`` and its ``summary_args`` (``assess.matrix.SUMMARY_CODES``), beside the English
sentence. This module says them through the gettext catalogues: ``1.234,5`` and ``1,23%`` in
Indonesian, growth rates as percentages, ratios and indices to three decimals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lindung.i18n.catalogues import gettext, ngettext
from lindung.i18n.formatting import format_decimal, format_number, format_percent
from lindung.i18n.labels import N_, label

#: Each progress reason's sentence; its arguments are formatted by their kind (``_KINDS``).
PROGRESS_REASONS: dict[str, str] = {
    "no_data": N_("no data"),
    "no_base_value": N_("no value in or after the base year %(base_year)s"),
    "target_met": N_("%(value)s in %(year)s meets the target %(target)s"),
    "sign_change": N_(
        "the base value %(base)s and the current value %(current)s differ in sign: a growth "
        "rate is undefined"
    ),
    "one_point": N_("one data point since the base year %(base_year)s; two are needed"),
    "trend": N_("growth of %(cagr)s a year since %(base_year)s (compound; no target)"),
    "trend_near_limit": N_(
        "growth of %(cagr)s a year since %(base_year)s (compound; no target); thresholds "
        "scaled by C = %(coefficient)s for the limit %(limit)s"
    ),
    "target_year_not_after_base": N_(
        "the target year %(target_year)s is not after the base year %(base_year)s"
    ),
    "base_equals_target": N_(
        "the base value equals the target: the growth required is 0 and the ratio is undefined"
    ),
    "growth_ratio": N_(
        "growth of %(observed)s a year observed against %(required)s a year required "
        "(%(base_year)s–%(target_year)s): ratio R = %(ratio)s"
    ),
    "neutral_polarity": N_("the indicator has no desired direction (neutral polarity)"),
    "value_out_of_bounds": N_(
        "%(value)s in %(year)s is outside the range the indicator's values take "
        "(%(low)s to %(high)s); correct the submission that holds it"
    ),
    "escap_no_target": N_(
        "ESCAP assesses only indicators for which a quantitative target can be set"
    ),
    "escap_one_point": N_(
        "one data point since the base year %(base_year)s; ESCAP needs two or more"
    ),
    "escap_base_met": N_(
        "the base value met the target %(target)s; the current value no longer does"
    ),
    "escap_indices": N_(
        "current status index %(csi)s of the way from %(base_value)s (%(base_year)s) to "
        "%(target)s (expected by %(current_year)s: %(expected_to_date)s); the trend "
        "%(trend_from)s–%(current_year)s gives %(anticipated)s in %(target_year)s, anticipated "
        "progress index %(api)s: %(status)s"
    ),
    "escap_selection": N_(
        "ESCAP selection: a regional assessment needs more than half of the member states to "
        "have two or more data points"
    ),
}
#: The notes Open SDG's reasons may add (``reason_args["notes"]``).
NOTES: dict[str, str] = {
    "target_zero": N_("a target of 0 is taken as 0.001"),
    "base_zero": N_("a base value of 0 is taken as 0.001"),
}
#: What kind of number each argument is: a value (as many digits as it needs, up to six
#: significant), a growth rate (a percentage, two decimals), a ratio or index (three decimals).
VALUES = ("value", "target", "base", "current", "limit", "base_value", "anticipated", "low", "high")
RATES = ("cagr", "observed", "required")
RATIOS = ("ratio", "coefficient", "csi", "api", "expected_to_date")


def _value(number: float, locale: str) -> str:
    return format_number(float(f"{number:.6g}"), locale)


def _kinds() -> dict[str, Callable[[Any, str], str]]:
    kinds: dict[str, Callable[[Any, str], str]] = {}
    kinds.update(dict.fromkeys(VALUES, _value))
    kinds.update(dict.fromkeys(RATES, lambda x, locale: format_percent(x, locale, 2)))
    kinds.update(dict.fromkeys(RATIOS, lambda x, locale: format_decimal(x, locale, 3)))
    return kinds


_KINDS = _kinds()


def _formatted(args: Mapping[str, Any], locale: str) -> dict[str, str]:
    """Return each argument as the reader writes it (years and counts as they are)."""
    return {
        name: _KINDS[name](value, locale) if name in _KINDS and value is not None else str(value)
        for name, value in args.items()
    }


def progress_reason(code: str, args: Mapping[str, Any], locale: str) -> str | None:
    """Return the reason of a progress row in ``locale``; None for a code not known here (the
    caller then shows the English ``reason``)."""
    template = PROGRESS_REASONS.get(code)
    if template is None:
        return None
    words = _formatted(args, locale)
    if code == "value_out_of_bounds":
        for side in ("low", "high"):
            if args.get(side) is None:
                words[side] = gettext("unbounded", locale)
    if code == "escap_indices":
        words["status"] = label(str(args["status"]), locale)
        if args["trend_value"] != args["anticipated"]:
            words["anticipated"] = gettext(
                "%(trend)s, held at the indicator's bound %(bound)s", locale
            ) % {"trend": _value(args["trend_value"], locale), "bound": words["anticipated"]}
    sentence = gettext(template, locale) % words
    notes = [gettext(NOTES[note], locale) for note in args.get("notes", ()) if note in NOTES]
    return "; ".join([sentence, *notes])


def matrix_summary(code: str, args: Mapping[str, int], locale: str) -> str | None:
    """Return a vulnerable-groups matrix cell's summary in ``locale``; None for a code not
    known here."""
    if code == "no_indicator":
        return gettext("no indicator in the framework", locale)
    if code == "data_gap":
        count = int(args["indicators"])
        return ngettext(
            "%(num)d indicator, none with data: a data gap",
            "%(num)d indicators, none with data: a data gap",
            count,
            locale,
        ) % {"num": count}
    if code != "with_data":
        return None
    count = int(args["indicators"])
    parts = [
        ngettext(
            "%(found)d of %(num)d indicator with data (latest %(latest)d)",
            "%(found)d of %(num)d indicators with data (latest %(latest)d)",
            count,
            locale,
        )
        % {"found": int(args["with_data"]), "num": count, "latest": int(args["latest"])}
    ]
    for name, words in (
        ("favourable", N_("%(num)d on track or achieved")),
        ("unfavourable", N_("%(num)d limited, deteriorating or regressing")),
        ("intermediate", N_("%(num)d moderate or to accelerate")),
        ("unassessed", N_("%(num)d without a progress assessment")),
    ):
        if args.get(name):
            parts.append(gettext(words, locale) % {"num": int(args[name])})
    return "; ".join(parts)


#: The populations that weight regional aggregates (``assess.population.BASES``, by code).
POPULATIONS: dict[str, str] = {
    "TOTAL": N_("total population"),
    "Y0T14": N_("children 0-14"),
    "Y0T17": N_("children 0-17 (0-14 plus 3/5 of 15-19)"),
    "Y15T64": N_("persons 15-64 (labour force proxy)"),
    "Y_GE65": N_("persons 65 and over"),
    "F_Y15T49": N_("women 15-49 (mothers of newborns proxy)"),
    "F": N_("women"),
}


def _population(args: Mapping[str, Any], locale: str) -> str:
    """The population an aggregate is weighted by, of one sex where the value is."""
    code = str(args.get("population", ""))
    name = gettext(POPULATIONS[code], locale) if code in POPULATIONS else code
    sex = args.get("sex")
    if sex == "F":
        return gettext("%(population)s, women", locale) % {"population": name}
    if sex == "M":
        return gettext("%(population)s, men", locale) % {"population": name}
    return name


def aggregate_reason(code: str, args: Mapping[str, Any], locale: str) -> str | None:
    """Return why a regional aggregate has no value, in ``locale`` ("" for one that has a
    value); None for a code not known here (show the English ``reason``)."""
    if code == "":
        return ""
    if code == "currency_not_averaged":
        return gettext(
            "values in each country's own currency cannot be averaged across countries", locale
        )
    if code == "persons_not_averaged":
        return gettext(
            "a count of persons: a mean of national counts is not a regional figure", locale
        )
    if code == "no_population":
        return gettext("no %(population)s for %(areas)s in %(year)s", locale) % {
            "population": _population(args, locale),
            "areas": ", ".join(args["areas"]),
            "year": args["year"],
        }
    if code == "below_share":
        return gettext(
            "the member states with data hold %(share)s of the %(population)s, below %(least)s",
            locale,
        ) % {
            "share": format_percent(args["share"], locale, 1),
            "population": _population(args, locale),
            "least": format_percent(args["min_share"], locale, 0),
        }
    return None


def tier_reason(code: str, args: Mapping[str, Any], locale: str) -> str | None:
    """Return why an indicator is in its ASEAN tier (``assess.availability``'s
    ``reason_code``: tier_I, tier_II, tier_III) in ``locale``; None for another code."""
    percent = {
        name: format_percent(args[name], locale, 0)
        for name in ("country_share", "population_share", "min_share")
        if name in args
    }
    if code == "tier_III":
        sentence = gettext("no internationally established methodology (global Tier III)", locale)
    elif code == "tier_I":
        sentence = ngettext(
            "established methodology; data regularly produced (%(points)d point or more) for "
            "%(regular)d of %(members)d member states (%(country_share)s) holding "
            "%(population_share)s of ASEAN's population",
            "established methodology; data regularly produced (%(points)d points or more) for "
            "%(regular)d of %(members)d member states (%(country_share)s) holding "
            "%(population_share)s of ASEAN's population",
            int(args["min_points"]),
            locale,
        ) % {
            "points": int(args["min_points"]),
            "regular": int(args["regular"]),
            "members": int(args["members"]),
            **percent,
        }
    elif code == "tier_II":
        sentence = gettext(
            "established methodology, but data regularly produced for only %(regular)d of "
            "%(members)d member states (%(country_share)s, %(population_share)s of the "
            "population); both must reach %(min_share)s",
            locale,
        ) % {"regular": int(args["regular"]), "members": int(args["members"]), **percent}
    else:
        return None
    if args.get("not_sdg") and code != "tier_III":
        return gettext("not an SDG series, the custodian's method; %(reason)s", locale) % {
            "reason": sentence
        }
    return sentence
