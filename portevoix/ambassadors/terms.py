"""What joining the programme means and which data it uses: shown before anyone says yes, and kept with the choice."""

from django.utils.translation import gettext as _


def joining_terms() -> list[str]:
    """The plain statement an invitee reads before accepting, in the active language."""
    return [
        _("Joining is voluntary. Saying no, or saying nothing, changes nothing for you or your job."),
        _(
            "As an ambassador you receive suggested posts on the topics you chose. You decide what you share, "
            "when, and in your own words; nothing is ever posted for you."
        ),
        _(
            "The programme uses your name, department, job title and languages from the company directory, and what "
            "you declare in your ambassador profile: your networks, their audience range, your expertise and the "
            "languages you post in."
        ),
        _(
            "Porte-Voix never reads or monitors your personal accounts. It counts only the clicks on the tracked "
            "links of what you share through it."
        ),
        _(
            "You can leave at any time from your profile, in one click, and delete what you declared. Every choice "
            "you make is recorded with its date."
        ),
    ]


def joining_statement() -> str:
    return "\n".join(joining_terms())
