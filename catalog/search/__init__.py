"""Catalog search: analyzer (query → terms), index (documents, backends), engine (ranking).
Other apps reach it through catalog.selectors and catalog.services."""
