"""Hooks for apps above the directory, which it must not import.

`people_imported` is sent after an import has been applied and committed (never for a dry run
or a failed import), with `organization` and `job`: the ambassador programme re-runs its
population rules then.
"""

from django.dispatch import Signal

people_imported = Signal()
