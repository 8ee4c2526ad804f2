"""The policy engine behind "check my post": pure Python, no Django, no I/O, no clock.

It is filled by the policy-engine work (PRODUCT.md G4, G5). The application imports it from one
adapter module in the app that owns policies; an import-linter contract keeps Django out of it.
"""
