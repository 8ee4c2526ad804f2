"""Links that apps above the guidelines add to its pages, without the guidelines importing them.

An app registers a provider in its `AppConfig.ready()`; a provider returns a link for a person
and a version, or None when it has nothing to offer there (the quiz app: "Take the quiz" on the
reading page of a version that has a quiz, "Quiz results" on its completion page).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from portevoix.accounts.models import User
from portevoix.guidelines.models import GuidelinesVersion

type Page = Literal["reading", "completion"]


@dataclass(frozen=True)
class ExtraLink:
    label: str
    url: str


type LinkProvider = Callable[[User, GuidelinesVersion], ExtraLink | None]

_PROVIDERS: dict[Page, list[LinkProvider]] = {"reading": [], "completion": []}


def add_link_provider(page: Page, provider: LinkProvider) -> None:
    if provider not in _PROVIDERS[page]:
        _PROVIDERS[page].append(provider)


def extra_links(page: Page, user: User, version: GuidelinesVersion) -> list[ExtraLink]:
    return [link for provider in _PROVIDERS[page] if (link := provider(user, version)) is not None]
