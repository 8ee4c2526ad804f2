"""How layers above learn that a crisis starts or ends, without the crisis app importing them.

Receivers run inside the transaction that switches the crisis, so a freeze (of scheduled official
posts, for instance) commits or rolls back with the switch itself. Each receiver returns a short
sentence saying what it did ("12 scheduled posts frozen"), kept in the crisis timeline.
"""

from django.dispatch import Signal

# Sent with `crisis` (the Crisis) and `actor` (the person).
crisis_started = Signal()
crisis_lifted = Signal()
