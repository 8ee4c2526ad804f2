"""Writes on organisations, people, roles and API tokens."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from portevoix.accounts.models import ApiToken, Department, Entity, Organization, Population, User, UserRole
from portevoix.accounts.roles import Role
from portevoix.audit.services import record

# The seven built-in populations every organisation starts with (PRODUCT.md, A1).
BUILTIN_POPULATIONS: dict[str, tuple[str, str]] = {
    "communication": ("Communication", "Communication"),
    "hr": ("HR", "RH"),
    "spokespeople": ("Spokespeople", "Porte-parole"),
    "experts": ("Experts", "Experts"),
    "young-talents": ("Young talents", "Jeunes talents"),
    "high-potentials": ("High potentials", "Hauts potentiels"),
    "social-media-enthusiasts": ("Social media enthusiasts", "Passionnés des réseaux sociaux"),
}


def create_organization(*, name: str, slug: str, default_language: str = "fr") -> Organization:
    """Create an organisation with its built-in populations, named in its default language."""
    with transaction.atomic():
        organization = Organization.objects.create(name=name, slug=slug, default_language=default_language)
        Population.objects.bulk_create(
            Population(organization=organization, slug=key, name=names[1] if default_language == "fr" else names[0])
            for key, names in BUILTIN_POPULATIONS.items()
        )
    return organization


def get_or_create_department(*, organization: Organization, name: str) -> Department:
    department, _ = Department.objects.get_or_create(organization=organization, name=name)
    return department


def get_or_create_entity(*, organization: Organization, name: str) -> Entity:
    entity, _ = Entity.objects.get_or_create(organization=organization, name=name)
    return entity


def create_person(
    *,
    organization: Organization,
    email: str,
    full_name: str,
    password: str | None = None,
    roles: frozenset[Role] = frozenset(),
    language: str = "fr",
    employee_number: str = "",
    department: Department | None = None,
    entity: Entity | None = None,
    job_title: str = "",
    location: str = "",
    languages: list[str] | None = None,
    hire_date: datetime.date | None = None,
    manager: User | None = None,
    actor: User | None = None,
) -> User:
    """Add a person to the directory. Without a password they sign in after a password reset."""
    with transaction.atomic():
        person = User(
            organization=organization,
            email=User.objects.normalize_email(email).lower(),
            full_name=full_name,
            language=language,
            employee_number=employee_number,
            department=department,
            entity=entity,
            job_title=job_title,
            location=location,
            languages=",".join(sorted(set(languages or []))),
            hire_date=hire_date,
            manager=manager,
        )
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.save()
        extra_roles = roles - {Role.EMPLOYEE}
        UserRole.objects.bulk_create(UserRole(user=person, role=role) for role in sorted(extra_roles))
        record(organization=organization, actor=actor, action="person.created", target=person)
        if extra_roles:
            record(
                organization=organization,
                actor=actor,
                action="person.roles_changed",
                target=person,
                data={"before": [], "after": sorted(extra_roles)},
            )
    return person


def set_roles(*, person: User, roles: frozenset[Role], actor: User) -> None:
    """Replace a person's roles (beyond employee, which everyone is) and record the change."""
    wanted = roles - {Role.EMPLOYEE}
    with transaction.atomic():
        current = {Role(r) for r in UserRole.objects.filter(user=person).values_list("role", flat=True)}
        if current == wanted:
            return
        UserRole.objects.filter(user=person).exclude(role__in=wanted).delete()
        UserRole.objects.bulk_create(UserRole(user=person, role=role) for role in sorted(wanted - current))
        record(
            organization=person.organization,
            actor=actor,
            action="person.roles_changed",
            target=person,
            data={"before": sorted(current), "after": sorted(wanted)},
        )
    person.__dict__.pop("_role_set", None)


def set_interface_language(*, person: User, language: str) -> None:
    person.language = language
    person.save(update_fields=["language"])


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored."""
    secret = "pv_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=secret[:10], digest=_digest(secret))
        record(organization=user.organization, actor=user, action="api_token.created", target=token)
    return token, secret


def revoke_api_token(*, token: ApiToken, actor: User) -> None:
    with transaction.atomic():
        record(organization=actor.organization, actor=actor, action="api_token.revoked", target=token)
        token.delete()


def user_for_api_token(secret: str) -> User | None:
    """The active person a token belongs to, or None; marks the token as used."""
    token = ApiToken.objects.select_related("user__organization").filter(digest=_digest(secret)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
