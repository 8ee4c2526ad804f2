"""Lumarelle Énergie's social media guidelines, in French and English.

Anchors are the clause ids the demo policy (policy/lumarelle.toml) cites, plus a few general
clauses. Each entry: anchor, category, (title fr, title en), (text fr, text en), (do fr, do en),
(don't fr, don't en).
"""

type Texts = tuple[str, str]
type ClauseText = tuple[str, str, Texts, Texts, Texts, Texts]

TITLE = ("Charte des réseaux sociaux de Lumarelle", "Lumarelle social media guidelines")
INTRO = (
    "Les réseaux sociaux font de chacun de nous une voix de Lumarelle. Cette charte ne vous interdit "
    "pas de parler de votre travail : elle dit **ce qui protège l'entreprise, vos collègues et vous-même**. "
    "Critiquer une décision ou discuter de ses conditions de travail n'est jamais une faute.",
    "Social networks make each of us a voice of Lumarelle. These guidelines do not forbid you to talk "
    "about your work: they say **what protects the company, your colleagues and yourself**. Criticising "
    "a decision or discussing your working conditions is never a breach.",
)

CLAUSES: list[ClauseText] = [
    ("1.1", "reputation", ("Parler en son nom", "Speaking for yourself"),
     ("Sur vos comptes personnels, vous parlez en votre nom, pas en celui de Lumarelle. Seule l'équipe "
      "communication parle au nom de l'entreprise.",
      "On your personal accounts you speak for yourself, not for Lumarelle. Only the communication team "
      "speaks on behalf of the company."),
     ("Écrire « mon avis » ou « à titre personnel » quand le sujet touche Lumarelle.",
      "Write \"my view\" or \"personally\" when the topic touches Lumarelle."),
     ("Annoncer une décision de l'entreprise avant le communiqué officiel.",
      "Announce a company decision before the official release.")),
    ("1.2", "reputation", ("Respect des personnes", "Respect for people"),
     ("Pas d'insulte, de menace ni de harcèlement, envers quiconque. Vous pouvez critiquer des idées et "
      "des décisions, jamais attaquer des personnes.",
      "No insults, threats or harassment towards anyone. You may criticise ideas and decisions, never "
      "attack people."),
     ("« Je ne suis pas d'accord avec la réorganisation, voici pourquoi. »",
      "\"I disagree with the reorganisation, and here is why.\""),
     ("Nommer un collègue pour s'en moquer.", "Name a colleague to mock them.")),
    ("2.1", "reputation", ("Dire que l'on travaille chez Lumarelle", "Saying that you work at Lumarelle"),
     ("Quand vous mettez en avant Lumarelle, ses produits ou ses offres d'emploi, dites dans le message "
      "lui-même que vous y travaillez (loi 2023-451 sur l'influence commerciale).",
      "When you promote Lumarelle, its products or its jobs, say in the post itself that you work there "
      "(French law 2023-451 on commercial influence)."),
     ("Ajouter « #collaborateur » ou « je travaille chez Lumarelle ».",
      "Add \"#employee\" or \"I work at Lumarelle\"."),
     ("Compter sur votre profil pour le dire.", "Rely on your profile to say it.")),
    ("2.2", "reputation", ("Lecteurs aux États-Unis", "Readers in the United States"),
     ("Si vos lecteurs sont aux États-Unis, la FTC demande un signalement clair et visible de votre lien "
      "avec Lumarelle.",
      "If your readers are in the United States, the FTC asks for a clear and visible disclosure of your "
      "connection with Lumarelle."),
     ("Écrire « #employee » au début du message.", "Write \"#employee\" at the start of the post."),
     ("Cacher le signalement parmi vingt hashtags.", "Hide the disclosure among twenty hashtags.")),
    ("3.1", "legal_confidentiality", ("Projets confidentiels", "Confidential projects"),
     ("Les noms de code des projets internes ne sortent pas de l'entreprise, même en allusion.",
      "Code names of internal projects never leave the company, not even as a hint."),
     ("Parler du métier sans nommer le projet.", "Talk about your craft without naming the project."),
     ("Publier une photo de tableau blanc.", "Post a photo of a whiteboard.")),
    ("3.2", "legal_confidentiality", ("Produits non annoncés", "Unannounced products"),
     ("Un produit n'existe publiquement qu'à partir de son annonce officielle.",
      "A product exists publicly only once it has been announced officially."),
     ("Partager l'annonce officielle le jour venu.", "Share the official announcement when it comes."),
     ("Teaser « une grosse nouveauté » avant l'annonce.", "Tease \"something big\" before the announcement.")),
    ("3.3", "legal_confidentiality",
     ("Clients sous accord de confidentialité", "Clients under non-disclosure agreements"),
     ("Certains clients nous interdisent de les citer. En cas de doute, ne citez aucun client.",
      "Some clients forbid us to name them. When in doubt, name no client."),
     ("Parler « d'un grand industriel ».", "Speak of \"a large manufacturer\"."),
     ("Publier un selfie devant le logo d'un client.", "Post a selfie in front of a client's logo.")),
    ("3.4", "legal_confidentiality", ("Documents et références internes", "Internal documents and references"),
     ("Aucun document interne, capture d'écran d'outil ou référence de dossier ne se partage en ligne.",
      "No internal document, tool screenshot or file reference is shared online."),
     ("Décrire votre travail avec vos mots.", "Describe your work in your own words."),
     ("Partager une capture de l'intranet.", "Share a screenshot of the intranet.")),
    ("3.5", "legal_confidentiality", ("Période de silence avant les résultats", "Quiet period before the results"),
     ("Pendant les semaines qui précèdent la publication des résultats, ne commentez ni l'activité ni les "
      "chiffres de Lumarelle.",
      "In the weeks before the results are published, comment neither on Lumarelle's business nor on its "
      "figures."),
     ("Attendre la publication officielle.", "Wait for the official publication."),
     ("« Excellent trimestre, vous allez voir ! »", "\"Great quarter, you'll see!\"")),
    ("4.1", "competition", ("Parler des concurrents", "Talking about competitors"),
     ("Restez factuel et courtois sur nos concurrents ; ne révélez jamais notre stratégie face à eux.",
      "Stay factual and courteous about competitors; never reveal our strategy against them."),
     ("Féliciter un concurrent pour une réussite publique.", "Congratulate a competitor on a public success."),
     ("Dénigrer un concurrent ou ses salariés.", "Disparage a competitor or its employees.")),
    ("5.1", "security", ("Données personnelles", "Personal data"),
     ("Ne publiez jamais de données personnelles : adresses, numéros de téléphone, IBAN, numéro de sécurité "
      "sociale, y compris les vôtres.",
      "Never post personal data: addresses, phone numbers, IBANs, social security numbers, your own "
      "included."),
     ("Flouter les badges et les écrans sur les photos.", "Blur badges and screens in photos."),
     ("Publier la liste des participants d'un événement.", "Post the list of an event's attendees.")),
    ("6.1", "security", ("Liens et sites", "Links and websites"),
     ("Ne partagez que des liens vers des sites connus ; méfiez-vous des liens raccourcis.",
      "Share only links to known websites; beware of shortened links."),
     ("Lier directement vers lumarelle.com.", "Link straight to lumarelle.com."),
     ("Relayer un lien raccourci reçu par message.", "Pass on a shortened link received by message.")),
    ("6.2", "security", ("Liens des comptes officiels", "Links from official accounts"),
     ("Les comptes officiels ne publient que des liens vers nos domaines ou des sources vérifiées.",
      "Official accounts only post links to our domains or to verified sources."),
     ("Utiliser les liens suivis fournis par l'équipe.", "Use the tracked links the team provides."),
     ("Publier un lien vers un document partagé.", "Post a link to a shared document.")),
    ("7.1", "productivity", ("Le temps de travail", "Working time"),
     ("Les réseaux sociaux ne doivent pas empiéter sur votre travail ; le programme ambassadeurs a son "
      "propre temps, convenu avec votre manager.",
      "Social networks must not eat into your work; the ambassador programme has its own time, agreed "
      "with your manager."),
     ("Programmer vos publications.", "Schedule your posts."),
     ("Répondre à une polémique pendant une réunion client.", "Answer a controversy during a client meeting.")),
    ("8.1", "reputation", ("En cas de doute", "When in doubt"),
     ("Vérifiez votre message avec « Vérifier mon message », et demandez à l'équipe communication.",
      "Check your post with \"Check my post\", and ask the communication team."),
     ("Demander avant de publier.", "Ask before you post."),
     ("Supprimer en silence un message qui pose problème.", "Quietly delete a post that causes trouble.")),
]  # fmt: skip

# What version 2 changed materially, in both languages.
CHANGED: dict[str, Texts] = {
    "3.5": (
        "Pendant les **six semaines** qui précèdent la publication des résultats, ne commentez ni l'activité, "
        "ni les chiffres, ni les perspectives de Lumarelle, même pour démentir une rumeur.",
        "In the **six weeks** before the results are published, comment neither on Lumarelle's business, nor "
        "on its figures, nor on its outlook, not even to deny a rumour.",
    ),
    "5.1": (
        "Ne publiez jamais de données personnelles : adresses, numéros de téléphone, IBAN, numéro de sécurité "
        "sociale, numéros de carte, **ni photos où l'on reconnaît des collègues sans leur accord**.",
        "Never post personal data: addresses, phone numbers, IBANs, social security numbers, card numbers, "
        "**nor photos in which colleagues can be recognised without their consent**.",
    ),
}
