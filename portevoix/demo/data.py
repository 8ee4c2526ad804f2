"""The raw material of the demo companies: names, entities, departments, job titles, personas.

Everything here is fictional. Changing a list changes the generated people, so keep the order
stable unless you mean to: the demo is reproducible because the generator walks these lists
with a seeded random.Random.
"""

from dataclasses import dataclass

from portevoix.accounts.roles import Role


def _names(text: str) -> tuple[str, ...]:
    # Comma-separated rather than whitespace-separated: some surnames contain spaces (Van den Berg).
    return tuple(name.strip() for name in text.split(",") if name.strip())


@dataclass(frozen=True)
class NamePool:
    """First and last names of one language; `language` is also a language the person speaks."""

    language: str
    female: tuple[str, ...]
    male: tuple[str, ...]
    last: tuple[str, ...]


NAME_POOLS: dict[str, NamePool] = {
    "fr": NamePool(
        language="fr",
        female=_names(
            """Camille, Léa, Manon, Chloé, Emma, Inès, Sarah, Julie, Lucie, Clara, Anaïs, Pauline, Marion,
            Mathilde, Élodie, Charlotte, Juliette, Margaux, Laura, Céline, Sophie, Nathalie, Isabelle, Claire,
            Aurélie, Émilie, Hélène, Valérie, Sandrine, Agathe, Zoé, Louise, Alice, Jeanne, Noémie, Salomé,
            Océane, Maëlle, Nadia, Yasmine, Fatou, Amandine, Estelle, Delphine, Virginie, Gaëlle, Solène"""
        ),
        male=_names(
            """Thomas, Nicolas, Julien, Maxime, Alexandre, Antoine, Hugo, Lucas, Louis, Théo, Mathieu, Romain,
            Guillaume, Pierre, Benoît, Sébastien, Olivier, Laurent, Christophe, Stéphane, Jérôme, François,
            Vincent, Arnaud, Damien, Florian, Quentin, Baptiste, Clément, Adrien, Bastien, Yanis, Karim, Mehdi,
            Amadou, Jean, Paul, Gabriel, Raphaël, Éric, Fabien, Cédric, Grégoire, Xavier, Loïc, Yann, Gaël"""
        ),
        last=_names(
            """Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon, Laurent,
            Lefèbvre, Michel, Garcia, David, Bertrand, Roux, Vincent, Fournier, Morel, Girard, André, Mercier,
            Dupont, Lambert, Bonnet, François, Martinez, Legrand, Garnier, Faure, Rousseau, Blanc, Guérin,
            Muller, Henry, Roussel, Nicolas, Perrin, Morin, Mathieu, Clément, Gauthier, Dumont, Lopez, Fontaine,
            Chevalier, Robin, Masson, Sanchez, Gérard, Nguyen, Boyer, Denis, Lemaire, Duval, Joly, Gautier,
            Roger, Roche, Roy, Noël, Meyer, Lucas, Meunier, Jean, Pérez, Marchand, Dufour, Blanchard, Marie,
            Barbier, Brun, Dumas, Brunet, Schmitt, Leroux, Colin, Fernandez, Pierre, Renard, Arnaud, Rolland,
            Caron, Aubert, Giraud, Leclerc, Vidal, Bourgeois, Renaud, Lemoine, Picard, Gaillard, Philippe,
            Lacroix, Bailly, Hervé, Benali, Haddad, Diallo, Traoré, Tran, Le Gall, Le Goff, Kerboriou"""
        ),
    ),
    "en": NamePool(
        language="en",
        female=_names(
            """Olivia, Amelia, Isla, Ava, Emily, Sophie, Grace, Lily, Freya, Charlotte, Ella, Poppy, Hannah,
            Jessica, Lucy, Chloe, Rebecca, Rachel, Laura, Sarah, Katie, Megan, Holly, Eleanor, Harriet, Imogen,
            Priya, Aisha, Zara, Niamh, Siobhan, Fiona, Helen, Claire, Joanne, Victoria, Abigail, Florence"""
        ),
        male=_names(
            """Oliver, George, Harry, Jack, Jacob, Noah, Charlie, Thomas, Oscar, William, James, Henry, Leo,
            Alfie, Joshua, Freddie, Archie, Ethan, Samuel, Daniel, Matthew, Luke, Ben, Adam, Ryan, Liam, Connor,
            Callum, Rhys, Owen, Arjun, Rohan, Imran, Kwame, David, Andrew, Richard, Mark, Paul, Simon, Edward"""
        ),
        last=_names(
            """Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Robinson, Wright, Thompson,
            Evans, Walker, White, Roberts, Green, Hall, Wood, Jackson, Clarke, Hughes, Edwards, Turner, Lewis,
            Harris, Martin, Cooper, Hill, Ward, Morris, Moore, Clark, Lee, King, Baker, Harrison, Morgan,
            Allen, James, Scott, Phillips, Watson, Davis, Parker, Price, Bennett, Young, Griffiths, Mitchell,
            Kelly, Cook, Carter, Richardson, Bailey, Collins, Bell, Shaw, Murphy, Miller, Cox, Richards, Khan,
            Marshall, Anderson, Simpson, Ellis, Adams, Singh, Begum, Wilkinson, Foster, Chapman, Powell, Webb,
            Rogers, Gray, Mason, Ali, Hunt, Hussain, Campbell, Matthews, Owen, Palmer, Holmes, Mills, Barnes,
            Knight, Lloyd, Butler, Russell, Barker, Fisher, Stevens, Jenkins, Murray, Dixon, Harvey, O'Brien"""
        ),
    ),
    "de": NamePool(
        language="de",
        female=_names("Anna, Lena, Katharina, Julia, Laura, Lea, Sabine, Miriam, Johanna, Franziska"),
        male=_names("Lukas, Felix, Jonas, Maximilian, Tobias, Florian, Stefan, Matthias, Jan, Moritz"),
        last=_names("Müller, Schmidt, Schneider, Fischer, Weber, Wagner, Becker, Hoffmann, Schäfer, Koch, Richter"),
    ),
    "es": NamePool(
        language="es",
        female=_names("Lucía, María, Carmen, Paula, Sofía, Elena, Marta, Alba, Irene, Nuria"),
        male=_names("Javier, Carlos, Alejandro, Pablo, Diego, Sergio, Álvaro, Miguel, Andrés, Jorge"),
        last=_names("García, Rodríguez, González, Fernández, López, Martínez, Sánchez, Pérez, Gómez, Ruiz, Navarro"),
    ),
    "it": NamePool(
        language="it",
        female=_names("Giulia, Chiara, Francesca, Sara, Martina, Alessia, Valentina, Elisa, Silvia, Federica"),
        male=_names("Marco, Alessandro, Luca, Matteo, Lorenzo, Andrea, Davide, Simone, Giovanni, Stefano"),
        last=_names("Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Conti"),
    ),
    "nl": NamePool(
        language="nl",
        female=_names("Emma, Lotte, Sanne, Fleur, Anouk, Lies, Marieke, Femke, Eline, Jolien"),
        male=_names("Pieter, Jens, Bram, Wouter, Thijs, Maarten, Joris, Koen, Stijn, Ruben"),
        last=_names(
            "Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, De Smet, Van den Berg"
        ),
    ),
}


@dataclass(frozen=True)
class EntitySpec:
    """A legal entity: where its people work, what names they carry and which languages they speak."""

    name: str
    title_language: str  # job titles and interface language: "fr" or "en"
    weight: int  # share of the staff
    locations: tuple[tuple[str, int], ...]  # (city, weight)
    name_pools: tuple[tuple[str, int], ...]  # (NAME_POOLS key, weight)
    spoken: tuple[tuple[str, float], ...]  # (language, probability) on top of the name's language


@dataclass(frozen=True)
class Title:
    """A job title in French (masculine, feminine) and in English."""

    fr_male: str
    fr_female: str
    en: str
    is_executive: bool = False

    def for_person(self, *, language: str, is_female: bool) -> str:
        if language == "en":
            return self.en
        return self.fr_female if is_female else self.fr_male


def title(fr_male: str, fr_female: str, en: str) -> Title:
    return Title(fr_male, fr_female, en)


def executive(fr_male: str, fr_female: str, en: str) -> Title:
    return Title(fr_male, fr_female, en, is_executive=True)


def english(en: str) -> Title:
    return Title(en, en, en)


@dataclass(frozen=True)
class DepartmentSpec:
    """A department: its size, its titles, and where its teams may sit (entity names; empty means anywhere)."""

    name: str
    size: int
    head: Title
    lead: Title
    members: tuple[Title, ...]
    junior: Title
    entities: tuple[str, ...] = ()
    populations: frozenset[str] = frozenset()  # populations every member belongs to
    has_experts: bool = False  # its senior people are experts
    social_media_weight: float = 1.0  # how much likelier its people are to be social-media enthusiasts
    is_leadership: bool = False  # its head is the chief executive; its members report to them


@dataclass(frozen=True)
class PersonaSpec:
    """A fixed person with a login, placed on a matching seat of the generated organisation."""

    key: str
    label: str
    email_local_part: str
    first_name: str
    last_name: str
    is_female: bool
    department: str
    is_head: bool
    job_title: str
    location: str
    languages: tuple[str, ...]
    role: Role | None
    is_graduate: bool = False
    extra_populations: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CompanySpec:
    name: str
    slug: str
    domain: str
    default_language: str
    employee_number_prefix: str
    entities: tuple[EntitySpec, ...]  # the first one is the headquarters
    departments: tuple[DepartmentSpec, ...]  # the first one is the leadership
    personas: tuple[PersonaSpec, ...]
    ambassadors: int
    high_potentials: int
    graduate_share: float = 0.14
    social_media_share: float = 0.08
