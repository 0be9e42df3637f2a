"""OneStop: one-stop, one-network government services for a prefecture-level city."""

__version__ = "0.1.0"
