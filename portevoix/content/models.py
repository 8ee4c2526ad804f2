"""Message houses, the content library and ambassadors' shares (A4, A5, A6).

A message house belongs to a topic and changes by versions: ambassadors only ever read its
approved version. A suggested post (`ContentItem`) carries its variants per language and level
of discourse, each with a text per network; ambassadors see it only once published, after its
embargo and before its expiry, and only if its targeting includes them. A `Share` is what an
ambassador sent to a network's share page, with the text they made their own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.lib.networks import NETWORK_CHOICES, Network


class Level(models.TextChoices):
    """The three levels of discourse of a message house and of suggested posts."""

    GENERAL = "general", _("General public")
    PROFESSIONAL = "professional", _("Professional")
    EXPERT = "expert", _("Expert")


class Language(models.TextChoices):
    # Names of languages in themselves, as language pickers show them.
    FR = "fr", "Français"
    EN = "en", "English"


# Networks an ambassador can share to from a share page (Instagram has none).
SHARE_NETWORKS = (
    Network.LINKEDIN,
    Network.X,
    Network.FACEBOOK,
    Network.BLUESKY,
    Network.MASTODON,
    Network.THREADS,
)
SHARE_NETWORK_CHOICES = [(value, label) for value, label in NETWORK_CHOICES if value in SHARE_NETWORKS]


class ContentSettings(models.Model):
    """The programme's settings for sharing."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="content_settings"
    )
    # Above this similarity (percent) with the suggestion or another ambassador's share of the
    # same content, a share is refused until the ambassador personalises their text.
    similarity_threshold = models.PositiveSmallIntegerField(_("similarity threshold (%)"), default=80)

    class Meta:
        verbose_name = _("sharing settings")
        verbose_name_plural = _("sharing settings")

    def __str__(self) -> str:
        return str(self.organization)


class MessageHouse(models.Model):
    """A topic's message house; its content lives in versions."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    topic = models.OneToOneField(
        "ambassadors.Topic", on_delete=models.CASCADE, related_name="message_house", verbose_name=_("topic")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("message house")
        verbose_name_plural = _("message houses")

    def __str__(self) -> str:
        return str(self.topic)


class MessageHouseVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    house = models.ForeignKey(MessageHouse, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    core_message = models.TextField(
        _("core message"), blank=True, help_text=_("The one sentence everything else supports (the roof).")
    )
    say = models.TextField(_("what to say"), blank=True)
    avoid = models.TextField(_("what not to say"), blank=True)
    hashtags = models.CharField(_("approved hashtags"), max_length=500, blank=True)
    summary = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message house version")
        verbose_name_plural = _("message house versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["house", "number"], name="message_house_version_unique_number"),
            models.UniqueConstraint(
                fields=["house"], condition=Q(status="approved"), name="message_house_one_approved_version"
            ),
            models.UniqueConstraint(
                fields=["house"], condition=Q(status__in=["draft", "in_review"]), name="message_house_one_open_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.house} v{self.number}"

    @property
    def hashtag_list(self) -> list[str]:
        return self.hashtags.split()

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.IN_REVIEW}


class MessageItem(models.Model):
    """A key message, a proof point with its source, a story, or a hard question with its answer."""

    class Kind(models.TextChoices):
        KEY_MESSAGE = "key_message", _("Key message")
        PROOF_POINT = "proof_point", _("Proof point")
        STORY = "story", _("Story")
        HARD_QUESTION = "hard_question", _("Hard question")

    version = models.ForeignKey(MessageHouseVersion, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("level of discourse"), max_length=16, choices=Level.choices, default=Level.GENERAL)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FR)
    text = models.TextField(_("text"))
    source = models.CharField(
        _("source"), max_length=500, blank=True, help_text=_("Where a proof point comes from: a link or a reference.")
    )
    answer = models.TextField(_("answer"), blank=True, help_text=_("For a hard question: the answer to give."))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("message house item")
        verbose_name_plural = _("message house items")
        ordering = ["kind", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ContentItem(models.Model):
    """A suggested post for ambassadors: variants per language and level, each with a text per network."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        EXPIRED = "expired", _("Expired")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(
        "ambassadors.Topic", on_delete=models.PROTECT, related_name="content_items", verbose_name=_("topic")
    )
    message = models.ForeignKey(
        MessageItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="content_items",
        verbose_name=_("key message"),
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("For the library and the feed; never posted."))
    link = models.URLField(_("link"), max_length=1000, blank=True)
    image = models.ImageField(_("image"), upload_to="content/%Y/%m/", blank=True)
    image_alt = models.CharField(_("alternative text"), max_length=1000, blank=True)
    hashtags = models.CharField(_("hashtags"), max_length=500, blank=True)
    # Network codes joined by commas, like User.languages.
    networks = models.CharField(_("networks"), max_length=100)
    populations = models.ManyToManyField(
        "accounts.Population", blank=True, related_name="+", verbose_name=_("populations")
    )
    is_for_topic_followers_only = models.BooleanField(_("only for ambassadors who follow the topic"), default=False)
    visible_from = models.DateTimeField(_("embargo: not visible before"), null=True, blank=True)
    visible_until = models.DateTimeField(_("expiry: hidden after"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggested post")
        verbose_name_plural = _("suggested posts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "status", "published_at"], name="content_item_feed_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def network_list(self) -> list[Network]:
        return [Network(code) for code in self.networks.split(",") if code]

    @property
    def hashtag_list(self) -> list[str]:
        return self.hashtags.split()

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.IN_REVIEW}


class ContentVariant(models.Model):
    """A suggested post in one language and at one level; `network_texts` holds texts that differ by network."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="variants")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    level = models.CharField(_("level of discourse"), max_length=16, choices=Level.choices, default=Level.GENERAL)
    text = models.TextField(_("text"))
    network_texts = models.JSONField(default=dict, blank=True)
    # The policy's verdict on the variant's texts when last saved, for the library's list.
    outcome = models.CharField(max_length=32, blank=True)
    findings_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["language", "level"]
        constraints = [
            models.UniqueConstraint(fields=["item", "language", "level"], name="content_variant_unique_language_level")
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.language}, {self.level})"

    def text_for(self, network: Network | str) -> str:
        """The text suggested on `network`: its own text if it has one, else the variant's."""
        own: str = self.network_texts.get(str(network), "")
        return own or self.text


class ContentComment(models.Model):
    """A comment in a suggested post's review, or a step of its workflow."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The workflow step this comment came with ("submitted", "approved"…), empty for a plain comment.
    event = models.CharField(max_length=16, blank=True)
    body = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:80]


class SharingPreference(models.Model):
    """What an ambassador's share page remembers: their Mastodon server and the disclosure rules they follow."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mastodon_instance = models.CharField(_("Mastodon server"), max_length=253, blank=True)
    jurisdiction = models.CharField(_("disclosure rules"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("sharing preference")
        verbose_name_plural = _("sharing preferences")

    def __str__(self) -> str:
        return str(self.person_id)


class Share(models.Model):
    """A suggested post an ambassador made their own and sent to a network's share page."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="shares")
    variant = models.ForeignKey(ContentVariant, on_delete=models.SET_NULL, null=True, related_name="shares")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(_("network"), max_length=16, choices=SHARE_NETWORK_CHOICES)
    text = models.TextField(_("text"))
    # Highest similarity (percent) with the suggestion or an earlier share of the same content.
    similarity = models.PositiveSmallIntegerField(_("similarity (%)"))
    outcome = models.CharField(_("verdict"), max_length=32, blank=True)
    overridden_rules = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(_("reason for sharing despite the warnings"), blank=True)
    # The link that went out with the post: the share's own tracked link (`/l/<code>`), absolute.
    link_url = models.URLField(_("link"), max_length=1000, blank=True)
    tracked_link = models.OneToOneField(
        "links.TrackedLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="share"
    )
    share_url = models.TextField(_("share page"))
    created_at = models.DateTimeField(_("shared at"), default=timezone.now)

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["item", "network", "-created_at"], name="share_item_network_idx"),
            models.Index(fields=["person", "-created_at"], name="share_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.item_id}:{self.network}"

    @property
    def network_label(self) -> str:
        return Network(self.network).label

    @property
    def personal(self) -> int:
        return 100 - self.similarity
