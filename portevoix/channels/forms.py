from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.forms import BoundField
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portevoix.channels.connectors.registry import supported_networks
from portevoix.lib.networks import NETWORK_CHOICES, Network

# The fields each network asks for besides its name; the others are removed from the form.
NETWORK_FIELDS: dict[Network, tuple[str, ...]] = {
    Network.MASTODON: ("server",),
    Network.BLUESKY: ("identifier", "app_password", "server"),
}
_DETAIL_FIELDS = frozenset({"server", "identifier", "app_password"})

NETWORK_HELP: dict[Network, Promise] = {
    Network.MASTODON: _(
        "You will be sent to your Mastodon server to approve access with the company's account, then brought "
        "back here. Porte-Voix registers its app on the server by itself."
    ),
    Network.BLUESKY: _(
        "Bluesky connects with an app password, not with the account's own password. In Bluesky, open "
        "Settings, then Privacy and security, then App passwords, and add one named for example "
        "“Porte-Voix”. Copy the password shown (four groups of four characters) and paste it below. "
        "Porte-Voix uses it once to open a session and does not keep it; you can revoke it there at any time."
    ),
    Network.X: _("You will be sent to X to approve access with the company's account, then brought back here."),
    Network.LINKEDIN: _(
        "Porte-Voix publishes on LinkedIn as a company page, not as a member's own profile. Approve access "
        "with an account that is a super admin of the page. If it administers several pages, you choose which "
        "one to connect when you come back."
    ),
    Network.FACEBOOK: _(
        "You will be sent to Facebook to approve access to the company's page. If you manage several pages, "
        "you choose which one to connect when you come back; the others are not kept."
    ),
    Network.INSTAGRAM: _(
        "Instagram connects a business account linked to a Facebook page you manage, through Facebook's "
        "approval page. If several of your pages have one, you choose which one to connect when you come back."
    ),
}


class ConnectForm(forms.Form):
    """Connecting a channel: the fields shown and required depend on the network chosen."""

    network = forms.ChoiceField(label=_("Network"), choices=[("", "—"), *NETWORK_CHOICES])
    name = forms.CharField(label=_("Name shown in Porte-Voix"), max_length=120)
    server = forms.CharField(
        label=_("Server"),
        max_length=255,
        required=False,
        help_text=_("Your organisation's Mastodon server, for example mastodon.social."),
    )
    identifier = forms.CharField(
        label=_("Handle or e-mail address"),
        max_length=255,
        required=False,
        help_text=_("The company's Bluesky handle, for example acme.bsky.social, or its sign-in e-mail address."),
    )
    app_password = forms.CharField(
        label=_("App password"),
        max_length=64,
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Four groups of four characters, such as abcd-efgh-ijkl-mnop. It is not stored."),
    )
    is_demo = forms.BooleanField(
        label=_("Demo channel: publish to nothing real"),
        required=False,
        help_text=_("Posts go through the whole queue but never leave Porte-Voix. For trials and training."),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        chosen = self.data.get("network") if self.is_bound else self.initial.get("network")
        self.chosen_network = Network(chosen) if chosen in {network.value for network in Network} else None
        for name in _DETAIL_FIELDS - set(NETWORK_FIELDS.get(self.chosen_network, ()) if self.chosen_network else ()):
            del self.fields[name]
        if self.chosen_network == Network.BLUESKY:
            self.fields["server"].label = _("Server (PDS)")
            self.fields["server"].help_text = _(
                "Only for an account hosted on its own server; leave empty for bsky.social."
            )

    @property
    def detail_fields(self) -> list[BoundField]:
        """The fields only the network chosen asks for, in the form's order."""
        return [self[name] for name in self.fields if name in _DETAIL_FIELDS]

    @property
    def network_help(self) -> Promise | None:
        return NETWORK_HELP.get(self.chosen_network) if self.chosen_network else None

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        network = self.chosen_network
        if data.get("is_demo") or network is None:
            return data
        if network not in supported_networks():
            self.add_error("network", _("This network cannot be connected yet: add it as a demo channel."))
        elif network == Network.MASTODON and not data.get("server"):
            self.add_error("server", _("Give the Mastodon server's address."))
        elif network == Network.BLUESKY:
            self._clean_bluesky(data)
        return data

    def _clean_bluesky(self, data: dict[str, object]) -> None:
        identifier = str(data.get("identifier") or "").strip().lstrip("@")
        if not identifier:
            self.add_error("identifier", _("Give the account's handle or e-mail address."))
        elif "@" in identifier:
            try:
                validate_email(identifier)
            except ValidationError:
                self.add_error("identifier", _("This e-mail address is not valid."))
        elif "." not in identifier or any(character.isspace() for character in identifier):
            self.add_error("identifier", _("A handle looks like acme.bsky.social."))
        if not data.get("app_password"):
            self.add_error("app_password", _("Give an app password created in Bluesky's settings."))
        data["identifier"] = identifier


class AppCredentialsForm(forms.Form):
    client_id = forms.CharField(label=_("Client id"), max_length=255)
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted and never shown again. Leave empty to keep the secret already set."),
    )


class MarkPublishedForm(forms.Form):
    remote_url = forms.URLField(label=_("Address of the post on the network"), max_length=500, assume_scheme="https")


class RescheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Publish at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
