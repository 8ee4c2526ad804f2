from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.roles import Permission, Role, permissions_for


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    default_language = models.CharField(_("default language"), max_length=8, default="fr")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name


class Entity(models.Model):
    """A legal entity or business unit (a subsidiary, a country office)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="entities")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="entity_unique_name")]

    def __str__(self) -> str:
        return self.name


class Population(models.Model):
    """A group of people likely to represent the company (experts, young talents…)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="populations")
    slug = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="population_unique_slug")]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser):
    """A person of an organisation. Everyone in the directory is a user; some never log in."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="people")
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    employee_number = models.CharField(_("employee number"), max_length=64, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("department"),
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.SET_NULL, null=True, blank=True, related_name="people", verbose_name=_("entity")
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    # Two-letter codes joined by commas ("en,fr"): portable across databases and filterable with
    # a plain substring match, since a comma always separates two codes.
    languages = models.CharField(_("languages"), max_length=64, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports", verbose_name=_("manager")
    )
    populations = models.ManyToManyField(Population, blank=True, related_name="members", verbose_name=_("populations"))
    language = models.CharField(_("interface language"), max_length=8, default="fr")
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("created at"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # Covers the directory's default order and its active filter, so a page's ids come from the
            # index alone (PostgreSQL; SQLite ignores INCLUDE and still uses the index for order).
            models.Index(
                fields=["organization", "full_name", "id"], include=["is_active"], name="user_org_name_id_idx"
            ),
            models.Index(fields=["organization", "department"], name="user_org_department_idx"),
            models.Index(fields=["organization", "entity"], name="user_org_entity_idx"),
            models.Index(Lower("full_name"), name="user_lower_name_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "employee_number"],
                condition=~models.Q(employee_number=""),
                name="user_unique_employee_number",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def role_set(self) -> frozenset[Role]:
        cached: frozenset[Role] | None = getattr(self, "_role_set", None)
        if cached is None:
            cached = frozenset({Role.EMPLOYEE} | {Role(r) for r in self.roles.values_list("role", flat=True)})
            self._role_set = cached
        return cached

    def has_role(self, role: Role) -> bool:
        return role in self.role_set

    def can(self, permission: Permission) -> bool:
        return self.is_active and permission in permissions_for(self.role_set)


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_unique")]
        indexes = [models.Index(fields=["role"], name="user_role_role_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
