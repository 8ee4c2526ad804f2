"""Small policies for the tests of "check my post", saved and published through the services."""

from portevoix.accounts.models import Organization, User
from portevoix.policies import services
from portevoix.policies.models import PolicyVersion

ACME_POLICY = """\
format = "porte-voix-policy/1"

[[clause]]
id = "c-3-1"
category = "legal_confidentiality"
title.fr = "Projets confidentiels"
title.en = "Confidential projects"

[[clause]]
id = "c-2-1"
category = "reputation"
title.fr = "Respect des personnes"
title.en = "Respect for people"

[[clause]]
id = "c-4-2"
category = "competition"
title.fr = "Concurrents"
title.en = "Competitors"

[[clause]]
id = "c-5-1"
category = "security"
title.fr = "Données personnelles"
title.en = "Personal data"

[[rule]]
id = "confidential-projects"
kind = "terms"
clause = "c-3-1"
severity = "block"
scope = ["everyone"]
message.fr = "Ce projet est confidentiel."
message.en = "This project is confidential."
suggestion.fr = "Retirez le nom du projet."
suggestion.en = "Remove the project's name."
terms = ["Heron", "Projet Heron"]

[[rule]]
id = "competitors"
kind = "terms"
clause = "c-4-2"
severity = "warn"
scope = ["ambassadors", "official"]
message.fr = "Ne citez pas nos concurrents."
message.en = "Do not name our competitors."
suggestion.fr = "Parlez de notre offre."
suggestion.en = "Talk about our own offer."
terms = ["Initech"]

[[rule]]
id = "quiet-period-q1"
kind = "quiet_period"
clause = "c-3-1"
severity = "warn"
scope = ["everyone"]
message.fr = "Période de silence avant les résultats."
message.en = "Quiet period before the results."
suggestion.fr = "Attendez la publication des résultats."
suggestion.en = "Wait for the results."
start = 2026-03-01
end = 2026-03-31
terms = ["chiffre d'affaires", "revenue"]

[[rule]]
id = "personal-data"
kind = "personal_data"
clause = "c-5-1"
severity = "warn"
scope = ["everyone"]
message.fr = "Donnée personnelle."
message.en = "Personal data."
suggestion.fr = "Retirez le numéro."
suggestion.en = "Remove the number."
detectors = ["email", "phone"]

[[rule]]
id = "tone"
kind = "tone"
clause = "c-2-1"
severity = "block"
scope = ["everyone"]
message.fr = "Propos hostiles envers une personne."
message.en = "Hostile words towards a person."
suggestion.fr = "Critiquez les idées, pas les personnes."
suggestion.en = "Criticise ideas, not people."
categories = ["insult", "threat", "harassment"]
"""

# Globex's policy flags its own project, and not Acme's.
GLOBEX_POLICY = """\
format = "porte-voix-policy/1"

[[clause]]
id = "g-1"
category = "legal_confidentiality"
title.fr = "Secrets de Globex"
title.en = "Globex secrets"

[[rule]]
id = "globex-projects"
kind = "terms"
clause = "g-1"
severity = "block"
scope = ["everyone"]
message.fr = "Projet secret de Globex."
message.en = "A Globex secret project."
suggestion.en = "Remove it."
terms = ["Zephyr"]
"""


def publish_policy(organization: Organization, actor: User | None, source: str = ACME_POLICY) -> PolicyVersion:
    """Save a policy file as a new version and publish it, as the compliance officer does."""
    version = services.save_version(organization=organization, actor=actor, source=source, summary="tests")
    services.publish(version=version, actor=actor)
    return version
