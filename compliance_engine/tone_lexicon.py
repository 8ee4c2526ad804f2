"""The tone lexicons, French and English: short, curated, shipped as data (no download, ever).

Words are written plainly; the matcher folds them and sees through accents, leetspeak, dotted
and spaced letters. Lists hold only what is aimed at a person: words that judge a decision, a
policy or working conditions ("absurde", "une honte", "stupid decision") are deliberately absent,
because criticism of the employer is lawful speech (PRODUCT.md G5).
"""

from __future__ import annotations

from itertools import product

# Nouns that insult a person: flagged when aimed at someone ("t'es un", "you", "@name", "Name").
# Words that also judge things ("idiot", "débile": "cette décision est idiote") are adjectives below.
PERSON_INSULTS = (
    "connard", "connasse", "abruti", "abrutie", "crétin", "crétine", "imbécile",
    "salope", "salaud", "enculé", "enculée", "pute", "pétasse", "bouffon", "bouffonne", "tocard", "tocarde",
    "blaireau", "guignol", "andouille", "ordure", "raclure", "fils de pute", "sous-merde", "pauvre con",
    "pauvre conne", "gros porc", "grosse vache", "moron", "imbecile", "jerk", "asshole", "arsehole", "bastard",
    "bitch", "loser", "dumbass", "dickhead", "prick", "cunt", "scumbag", "piece of shit", "retard", "twat",
    "wanker", "douchebag", "escroc", "incapable", "crook", "scammer",
)  # fmt: skip

# Adjectives that insult a person only when said to them ("tu es nul", "you're stupid"): the same
# words about a decision ("this decision is stupid") are criticism.
INSULTING_ADJECTIVES = (
    "con", "conne", "nul", "nulle", "stupide", "débile", "incompétent", "incompétente", "minable", "pathétique",
    "moche", "idiot", "idiote", "stupid", "dumb", "useless", "pathetic", "worthless", "incompetent", "brainless",
    "ugly",
)  # fmt: skip

_FRENCH_THREAT_SUBJECTS = ("je vais te", "je vais vous", "on va te", "on va vous", "j'vais te", "je vais bien te")
_FRENCH_THREAT_VERBS = (
    "tuer", "buter", "crever", "défoncer", "frapper", "démolir", "massacrer", "planter", "cogner", "casser la gueule",
    "faire la peau", "le faire payer", "pourrir la vie", "faire regretter", "régler ton compte",
)  # fmt: skip
# Not "retrouver": "je vais te retrouver ce document", "on va te retrouver à la gare" are everyday
# speech; the threat "je sais où tu habites" is listed on its own.
_FRENCH_ELIDED_THREATS = ("éclater", "égorger", "exploser", "abattre", "étrangler", "arracher la tête", "achever")
_ENGLISH_THREAT_SUBJECTS = (
    "i'll",
    "i will",
    "i'm going to",
    "im going to",
    "i'm gonna",
    "im gonna",
    "we'll",
    "we will",
    "gonna",
)
_ENGLISH_THREAT_VERBS = (
    "kill you", "hurt you", "shoot you", "stab you", "end you", "beat you up", "make you pay", "make you regret",
    "break your neck", "punch you", "strangle you", "ruin your life", "slit your throat",
)  # fmt: skip

THREATS = (
    *(" ".join(parts) for parts in product(_FRENCH_THREAT_SUBJECTS, _FRENCH_THREAT_VERBS)),
    *(f"je vais t'{verb}" for verb in _FRENCH_ELIDED_THREATS),
    *(f"on va t'{verb}" for verb in _FRENCH_ELIDED_THREATS),
    *(" ".join(parts) for parts in product(_ENGLISH_THREAT_SUBJECTS, _ENGLISH_THREAT_VERBS)),
    "tu vas le regretter", "vous allez le regretter", "tu vas le payer", "tu vas payer", "vous allez payer",
    "t'es mort", "tu es mort", "t'es un homme mort", "je sais où tu habites", "on sait où tu habites",
    "fais gaffe à toi", "surveille tes arrières", "tu mérites de mourir", "you'll regret", "you will regret",
    "you'll pay for this", "you will pay for this", "you're dead", "you are dead", "you're a dead man",
    "better watch your back", "i know where you live", "we know where you live", "you deserve to die",
    "i hope you die",
)  # fmt: skip

HARASSMENT = (
    "envoie-moi des nudes", "envoie moi des nudes", "envoie moi des photos de toi", "envoie-moi des photos de toi",
    "montre tes seins", "t'es bonne", "t'es bandante",
    "suce ma", "retourne dans ton pays", "personne ne t'aime", "va te pendre", "suicide-toi", "tue-toi",
    "va crever", "ferme ta gueule", "sale pédé", "sale gouine", "sale arabe", "sale noir", "sale juif",
    "send nudes", "send me nudes", "show me your tits", "kill yourself", "kys", "go die", "nobody likes you",
    "no one likes you", "go back to your country", "shut up bitch", "you should die", "nobody wants you here",
)  # fmt: skip

# Words that turn a hostile word into an everyday idiom when they follow it: "tu es nulle part"
# (nowhere), "you are dead right" (exactly right), "t'es mort de rire". Keyed by the last word of
# the lexicon entry; a finding is dropped when the next word of the text is one of these.
IDIOM_CONTINUATIONS = {
    "nul": ("part",),
    "nulle": ("part",),
    "mort": ("de",),
    "incapable": ("de", "d"),  # "incapable de venir": unable to, not an insult
    "dead": ("right", "wrong", "serious", "set", "on", "certain", "sure", "tired", "last", "even", "ahead"),
}
