"""The observation key: the SDG DSD names of an observation's disaggregation dimensions and the
fields that identify one value. Dependency-free, so that every layer (store, ingest, assess,
exchange) names them from one place without loading another layer."""

#: The disaggregation dimensions of an observation key, SDG DSD names; "_T" means total.
DIMENSIONS: tuple[str, ...] = (
    "sex",
    "age",
    "urbanisation",
    "income_wealth_quantile",
    "disability_status",
    "group",
    "program",
    "poverty_line",
)

#: What identifies one value: its series, area, period and every dimension.
KEY: tuple[str, ...] = ("series", "ref_area", "time_period", *DIMENSIONS)

#: The largest id the store's INTEGER id columns hold on both engines (32 bits on PostgreSQL,
#: which refuses a larger parameter outright; SQLite, with 64 bits, overflows beyond 2**63).
MAX_ID = 2**31 - 1

#: The series of the shipped UN WPP population (persons), the weights of regional aggregates.
POPULATION_SERIES = "ASP_POP"

__all__ = ["DIMENSIONS", "KEY", "MAX_ID", "POPULATION_SERIES"]
