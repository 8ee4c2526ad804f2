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
