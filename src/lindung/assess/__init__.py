"""Judgments over observations: progress to targets, availability and tiers, consistency with
international figures, regional aggregates, the ADB SPI and a composite index. Pure functions
over tables; the CLI (``lindung assess``) reads the store and writes results."""
