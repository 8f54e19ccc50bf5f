"""SDMX structures shipped with Lindung (the SDG DSD, its Dataflow, the content constraints;
see PROVENANCE.md)."""
