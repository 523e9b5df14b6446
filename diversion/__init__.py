"""Diversion: runs a police drug diversion scheme end to end."""

__version__ = "0.1.0"
