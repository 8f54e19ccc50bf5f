"""Judgments over observations: progress to targets, availability and tiers, consistency with
international figures, regional aggregates, the vulnerable-groups matrix, the ADB SPI and a
composite index. Pure functions over tables; ``lindung assess`` reads the store and writes."""

from lindung.assess.aggregates import regional_aggregates, regions
from lindung.assess.availability import TierInput, asean_tiers, availability
from lindung.assess.composite import Choices, CompositeIndicator, composite_index
from lindung.assess.consistency import compare, summary
from lindung.assess.equivalents import Equivalent, equivalents
from lindung.assess.matrix import MatrixIndicator, matrix_axes, vulnerable_groups_matrix
from lindung.assess.population import BASES, basis_for, population_table
from lindung.assess.progress import Goal, Progress, escap_progress, opensdg_progress
from lindung.assess.progress_table import goal_for, progress_rows, regional_progress
from lindung.assess.spi import SpiInput, social_protection_indicator

__all__ = [
    "BASES",
    "Choices",
    "CompositeIndicator",
    "Equivalent",
    "Goal",
    "MatrixIndicator",
    "Progress",
    "SpiInput",
    "TierInput",
    "asean_tiers",
    "availability",
    "basis_for",
    "compare",
    "composite_index",
    "equivalents",
    "escap_progress",
    "goal_for",
    "matrix_axes",
    "opensdg_progress",
    "population_table",
    "progress_rows",
    "regional_aggregates",
    "regional_progress",
    "regions",
    "social_protection_indicator",
    "summary",
    "vulnerable_groups_matrix",
]
