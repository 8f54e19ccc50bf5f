"""Exchange with the agencies and national platforms: SDMX in and out on the SDG DSD.

Only reads through ``store`` and writes through ``ingest``; codes come from ``framework``.
"""
