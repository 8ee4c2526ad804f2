"""How layers above learn that a crisis starts or ends, without the crisis app importing them.

Receivers run inside the transaction that switches the crisis, so a freeze (of scheduled official
posts, for instance) commits or rolls back with the switch itself. Each receiver returns a short
sentence saying what it did ("12 scheduled posts frozen"), kept in the crisis timeline.

Before the switch, the confirmation page asks the same layers what they *would* do: receivers of
`crisis_preview` get the `organization` and return a short sentence in the future tense, in the
active language ("12 scheduled official posts will be frozen."), or nothing when they have
nothing to say. They only read.
"""

from django.dispatch import Signal

# Sent with `crisis` (the Crisis) and `actor` (the person).
crisis_started = Signal()
crisis_lifted = Signal()
# Sent with `organization`, before the switch, for the confirmation page.
crisis_preview = Signal()
