"""The reports module: SQL aggregates, matplotlib charts, and the PDF, CSV and FHIR exports."""

from ..periods import Period, last_days
from .summary import summary

__all__ = ["Period", "last_days", "summary"]
