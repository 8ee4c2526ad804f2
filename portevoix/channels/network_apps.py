"""The app through which an organisation connects its X, LinkedIn, Facebook and Instagram accounts.

Mastodon registers an app by itself on each server (see `connections`), and Bluesky needs none
(an app password). X, LinkedIn and Meta apps are created by hand in the network's developer
console: the organisation gives its app's client id and secret on the channels' app page, or
the installation sets one for every organisation in its environment
(`PORTEVOIX_<X|LINKEDIN|META>_CLIENT_ID` and `_CLIENT_SECRET`, read into
`settings.CHANNEL_APPS`). The organisation's own app wins over the installation's.

An organisation's app is a `NetworkApp` row without server address; Facebook and Instagram
share Meta's, stored under Facebook. Its secret is encrypted like the channels' tokens and is
never shown back.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portevoix.accounts.models import Organization, User
from portevoix.audit.services import record
from portevoix.channels.connectors.base import AppCredentials
from portevoix.channels.models import Channel, NetworkApp
from portevoix.channels.tokens import decrypt_secret, encrypt_secret
from portevoix.lib.networks import Network


@dataclass(frozen=True)
class AppProvider:
    """A network's developer platform: one app there serves `networks`."""

    key: str  # in addresses and in the environment variables' names
    name: str  # a brand: the same in every language
    network: Network  # the network the organisation's app is stored under
    networks: tuple[Network, ...]
    console_url: str  # where the app is created


PROVIDERS: tuple[AppProvider, ...] = (
    AppProvider("x", "X", Network.X, (Network.X,), "https://developer.x.com/en/portal/dashboard"),
    AppProvider(
        "linkedin", "LinkedIn", Network.LINKEDIN, (Network.LINKEDIN,), "https://www.linkedin.com/developers/apps"
    ),
    AppProvider(
        "meta",
        "Meta (Facebook, Instagram)",
        Network.FACEBOOK,
        (Network.FACEBOOK, Network.INSTAGRAM),
        "https://developers.facebook.com/apps/",
    ),
)


class MissingAppCredentials(LookupError):
    """Neither the organisation nor the installation has an app on the network's developer platform."""

    def __init__(self, provider: AppProvider) -> None:
        super().__init__(
            _("%(network)s needs your organisation's app on %(provider)s first: give its client id and secret.")
            % {"network": ", ".join(network.label for network in provider.networks), "provider": provider.name}
        )
        self.provider = provider


@dataclass(frozen=True)
class AppStatus:
    """Where an organisation stands with one provider, for the app page: never the secret."""

    provider: AppProvider
    own_app: NetworkApp | None
    has_installation_app: bool

    @property
    def is_ready(self) -> bool:
        return self.own_app is not None or self.has_installation_app


def provider_for(network: Network) -> AppProvider | None:
    """The developer platform whose app connects `network`; None for networks that need no app made by hand."""
    return next((provider for provider in PROVIDERS if network in provider.networks), None)


def provider_by_key(key: str) -> AppProvider:
    """The provider named `key` in an address; raises LookupError for any other."""
    for provider in PROVIDERS:
        if provider.key == key:
            return provider
    raise LookupError(key)


def _own_app(organization: Organization, provider: AppProvider) -> NetworkApp | None:
    return NetworkApp.objects.filter(organization=organization, network=provider.network, base_url="").first()


def _installation_credentials(provider: AppProvider) -> AppCredentials | None:
    configured = settings.CHANNEL_APPS.get(provider.key)
    return AppCredentials(client_id=configured[0], client_secret=configured[1]) if configured else None


def installation_credentials(network: Network) -> AppCredentials:
    """The installation's app for `network`; raises MissingAppCredentials when it has none."""
    provider = provider_for(network)
    if provider is None:
        raise ValueError(f"{network} needs no app made by hand")
    installation = _installation_credentials(provider)
    if installation is None:
        raise MissingAppCredentials(provider)
    return installation


def app_statuses(organization: Organization) -> list[AppStatus]:
    """Each provider, with the organisation's own app (if any) and whether the installation has one."""
    own = {app.network: app for app in NetworkApp.objects.filter(organization=organization, base_url="")}
    return [
        AppStatus(provider, own.get(provider.network), _installation_credentials(provider) is not None)
        for provider in PROVIDERS
    ]


def app_credentials(organization: Organization, network: Network) -> tuple[NetworkApp | None, AppCredentials]:
    """The organisation's app for `network` (and its row), or else the installation's (no row).

    Raises MissingAppCredentials when there is neither.
    """
    provider = provider_for(network)
    if provider is None:
        raise ValueError(f"{network} needs no app made by hand")
    own = _own_app(organization, provider)
    if own is not None:
        return own, AppCredentials(client_id=own.client_id, client_secret=decrypt_secret(own.client_secret_encrypted))
    installation = _installation_credentials(provider)
    if installation is None:
        raise MissingAppCredentials(provider)
    return None, installation


class AppInUse(ValueError):
    """Channels were connected through the app: another client would not renew their access."""

    def __init__(self, channels: list[str]) -> None:
        super().__init__(
            ngettext(
                "The channel %(channels)s was connected through this app: disconnect it first, as another app "
                "could not renew its access.",
                "The channels %(channels)s were connected through this app: disconnect them first, as another "
                "app could not renew their access.",
                len(channels),
            )
            % {"channels": ", ".join(channels)}
        )


def _refuse_if_in_use(app: NetworkApp) -> None:
    live = [Channel.State.PENDING, Channel.State.CONNECTED, Channel.State.EXPIRED]
    names = list(Channel.objects.filter(app=app, state__in=live).order_by("name").values_list("name", flat=True))
    if names:
        raise AppInUse(names)


def set_app(*, actor: User, provider: AppProvider, client_id: str, client_secret: str, redirect_uri: str) -> NetworkApp:
    """Set the organisation's app on `provider`; an empty secret keeps the one already set.

    A new secret for the same client is fine (a rotation); another client id is refused while
    channels connected through the app remain (AppInUse).
    """
    client_id, client_secret = client_id.strip(), client_secret.strip()
    with transaction.atomic():
        app = _own_app(actor.organization, provider)
        if app is None and not client_secret:
            raise ValueError(_("Give the app's client secret."))
        if app is not None and app.client_id != client_id:
            _refuse_if_in_use(app)
        if app is None:
            app = NetworkApp(organization=actor.organization, network=provider.network, base_url="")
        app.client_id, app.redirect_uri, app.updated_at = client_id, redirect_uri, timezone.now()
        if client_secret:
            app.client_secret_encrypted = encrypt_secret(client_secret)
        app.save()
        record(
            organization=actor.organization,
            actor=actor,
            action="channels.app_set",
            target=app,
            data={"provider": provider.key, "client_id": client_id, "secret_changed": bool(client_secret)},
        )
    return app


def remove_app(*, actor: User, provider: AppProvider) -> None:
    """Forget the organisation's app on `provider`: connections then use the installation's, if any.

    Refused while channels connected through it remain (AppInUse): renewing their access needs it.
    """
    with transaction.atomic():
        app = _own_app(actor.organization, provider)
        if app is None:
            return
        _refuse_if_in_use(app)
        record(
            organization=actor.organization,
            actor=actor,
            action="channels.app_removed",
            target=app,
            data={"provider": provider.key, "client_id": app.client_id},
        )
        app.delete()
