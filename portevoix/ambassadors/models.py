from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    """A subject the company needs its ambassadors to speak about (innovation, CSR, a product line…).

    Targets, coverage and candidates hang off a topic; so do its message house and the content
    suggested to ambassadors.
    """

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="topics")
    slug = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="topic_unique_slug")]

    def __str__(self) -> str:
        return self.name


class Network(models.TextChoices):
    """The networks an ambassador may declare and share to (their share pages need no API)."""

    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    THREADS = "threads", "Threads"


class Audience(models.TextChoices):
    """How many people a person reaches on a network, as they declare it: a range, never a measure."""

    UNDER_500 = "under_500", _("fewer than 500")
    UNDER_2000 = "under_2000", _("500 to 2,000")
    UNDER_10000 = "under_10000", _("2,000 to 10,000")
    OVER_10000 = "over_10000", _("more than 10,000")


class AmbassadorProfile(models.Model):
    """What a person declares about themselves for the programme: expertise, languages, interest.

    Declared by the person, never collected from their accounts: Porte-Voix does not monitor
    personal accounts (PRODUCT.md, X4).
    """

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador_profile", verbose_name=_("person")
    )
    expertise = models.CharField(
        _("expertise"),
        max_length=500,
        blank=True,
        help_text=_("Subjects you know well, separated by commas (e.g. hydrogen, wind power, recruiting)."),
    )
    # Codes joined by commas, like User.languages: the languages the person posts in.
    posting_languages = models.CharField(_("languages you post in"), max_length=64, blank=True)
    is_interested = models.BooleanField(
        _("interested in the programme"),
        default=False,
        help_text=_("You would like to hear from the communication team about becoming an ambassador."),
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="ambassador_profiles", verbose_name=_("topics"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("ambassador profile")
        verbose_name_plural = _("ambassador profiles")

    def __str__(self) -> str:
        return str(self.person)

    @property
    def expertise_list(self) -> list[str]:
        return [item.strip() for item in self.expertise.split(",") if item.strip()]

    @property
    def posting_language_list(self) -> list[str]:
        return [code for code in self.posting_languages.split(",") if code]


class DeclaredNetwork(models.Model):
    """A network where a person says they are present, with their handle and audience."""

    profile = models.ForeignKey(AmbassadorProfile, on_delete=models.CASCADE, related_name="networks")
    network = models.CharField(_("network"), max_length=16, choices=Network.choices)
    handle = models.CharField(_("handle or profile address"), max_length=200, blank=True)
    # Mastodon is federated: its share page lives on the person's own instance.
    instance = models.CharField(_("Mastodon instance"), max_length=253, blank=True)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices, default=Audience.UNDER_500)

    class Meta:
        verbose_name = _("declared network")
        verbose_name_plural = _("declared networks")
        ordering = ["network"]
        constraints = [models.UniqueConstraint(fields=["profile", "network"], name="declared_network_unique")]

    def __str__(self) -> str:
        return f"{self.network}:{self.handle}"
