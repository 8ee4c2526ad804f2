"""Connectors: one folder per network behind the interface of `base`, listed in `registry`."""
