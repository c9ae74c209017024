"""Indicators and reports of this domain (being written)."""
