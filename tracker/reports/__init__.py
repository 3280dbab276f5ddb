"""The reports module: SQL aggregates, matplotlib charts, and the PDF, CSV and FHIR exports."""

from .summary import Period, last_days, summary

__all__ = ["Period", "last_days", "summary"]
