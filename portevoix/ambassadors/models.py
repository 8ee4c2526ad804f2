from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.lib.networks import NETWORKS, Network


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
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_("Words that describe the topic, separated by commas; matched against declared expertise."),
    )
    populations = models.ManyToManyField(
        "accounts.Population",
        blank=True,
        related_name="+",
        verbose_name=_("populations that fit"),
        help_text=_("People of these populations are the first candidates for this topic."),
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="topic_unique_slug")]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [item.strip() for item in self.keywords.split(",") if item.strip()]


# The networks an ambassador may declare and share to: those with a share page, which needs no API.
AMBASSADOR_NETWORKS: tuple[Network, ...] = tuple(network for network in Network if NETWORKS[network].has_share_page)
AMBASSADOR_NETWORK_VALUES = frozenset(network.value for network in AMBASSADOR_NETWORKS)
NETWORK_CHOICES = [(network.value, network.label) for network in AMBASSADOR_NETWORKS]


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
    network = models.CharField(_("network"), max_length=16, choices=NETWORK_CHOICES)
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


class TopicTarget(models.Model):
    """How many ambassadors a topic needs in one language or on one network."""

    class Dimension(models.TextChoices):
        LANGUAGE = "language", _("language")
        NETWORK = "network", _("network")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="targets")
    dimension = models.CharField(_("kind"), max_length=16, choices=Dimension.choices)
    value = models.CharField(_("language or network"), max_length=16)
    wanted = models.PositiveSmallIntegerField(_("ambassadors wanted"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["dimension", "value"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "dimension", "value"], name="topic_target_unique"),
            models.CheckConstraint(condition=models.Q(wanted__gte=1), name="topic_target_wanted_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id}:{self.dimension}:{self.value}={self.wanted}"


class InvitationCampaign(models.Model):
    """Invitations to join the programme, sent by e-mail to people chosen among the candidates."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="campaigns", verbose_name=_("topic")
    )
    name = models.CharField(_("name"), max_length=200)
    message = models.TextField(_("message"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("invitation campaign")
        verbose_name_plural = _("invitation campaigns")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """One person invited by a campaign, and their answer. The token makes the link unguessable."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    campaign = models.ForeignKey(InvitationCampaign, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="invitation_unique_person")]
        indexes = [models.Index(fields=["person", "status"], name="invitation_person_status_idx")]

    def __str__(self) -> str:
        # Audit entries show this label: never the token.
        return f"#{self.pk}"


class ConsentRecord(models.Model):
    """A choice a person made about the programme (or a removal), with its date: never edited.

    `statement` keeps the text the person was shown when they chose, in their language.
    """

    class Choice(models.TextChoices):
        ACCEPTED = "accepted", _("Joined the programme")
        DECLINED = "declined", _("Declined an invitation")
        LEFT = "left", _("Left the programme")
        REMOVED = "removed", _("Removed from the programme")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_records")
    choice = models.CharField(_("choice"), max_length=16, choices=Choice.choices)
    recorded_at = models.DateTimeField(_("date"), default=timezone.now)
    invitation = models.ForeignKey(Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    statement = models.TextField(_("text shown"), blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("programme choice")
        verbose_name_plural = _("programme choices")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "-recorded_at"], name="consent_person_date_idx")]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.choice}"


class PopulationRule(models.Model):
    """A rule over directory fields that puts people into a population.

    A person matches a rule when every condition it sets holds (an empty condition is not
    checked); a population's rules add up: matching any one of them is enough.
    """

    population = models.ForeignKey("accounts.Population", on_delete=models.CASCADE, related_name="rules")
    departments = models.ManyToManyField("accounts.Department", blank=True, related_name="+")
    entities = models.ManyToManyField("accounts.Entity", blank=True, related_name="+")
    job_title_words = models.CharField(_("job title contains one of"), max_length=500, blank=True)
    locations = models.CharField(_("location is one of"), max_length=500, blank=True)
    languages = models.CharField(_("speaks one of"), max_length=64, blank=True)
    hired_within_months = models.PositiveSmallIntegerField(_("hired less than (months) ago"), null=True, blank=True)
    hired_over_months = models.PositiveSmallIntegerField(_("hired more than (months) ago"), null=True, blank=True)
    requires_interest = models.BooleanField(_("said they are interested in the programme"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("population rule")
        verbose_name_plural = _("population rules")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @staticmethod
    def split(value: str) -> list[str]:
        return [item.strip() for item in value.split(",") if item.strip()]


class RuleMembership(models.Model):
    """A population membership that the rules gave: the rules take back only what they gave."""

    population = models.ForeignKey("accounts.Population", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["population", "person"], name="rule_membership_unique")]

    def __str__(self) -> str:
        return f"{self.population_id}:{self.person_id}"


class PopulationExclusion(models.Model):
    """A person taken out of a population by hand: its rules never put them back."""

    population = models.ForeignKey("accounts.Population", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["population", "person"], name="population_exclusion_unique")]

    def __str__(self) -> str:
        return f"{self.population_id}:{self.person_id}"
