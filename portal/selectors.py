"""Figures for the portal pages, computed from the other apps' selectors."""

from __future__ import annotations

from accounts.selectors import account_counts
from catalog.selectors import catalog_counts
from directory.selectors import directory_counts, has_demo_data


def home_figures() -> dict:
    """Everything the home page shows as a number; nothing typed in."""
    figures = directory_counts()
    figures.update(account_counts())
    figures.update(catalog_counts())
    figures["has_demo_data"] = has_demo_data()
    return figures
