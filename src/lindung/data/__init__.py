"""Data shipped with Lindung (reference observations, see reference/PROVENANCE.md)."""
