from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.channels.connectors.registry import supported_networks
from portevoix.lib.networks import NETWORK_CHOICES, Network


class ConnectForm(forms.Form):
    network = forms.ChoiceField(label=_("Network"), choices=NETWORK_CHOICES)
    server = forms.CharField(
        label=_("Server"),
        max_length=255,
        required=False,
        help_text=_("For Mastodon: your organisation's server, for example mastodon.social."),
    )
    name = forms.CharField(label=_("Name shown in Porte-Voix"), max_length=120)
    is_demo = forms.BooleanField(
        label=_("Demo channel: publish to nothing real"),
        required=False,
        help_text=_("Posts go through the whole queue but never leave Porte-Voix. For trials and training."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        network = data.get("network")
        if data.get("is_demo") or not network:
            return data
        if Network(str(network)) not in supported_networks():
            self.add_error("network", _("This network cannot be connected yet: add it as a demo channel."))
        elif network == Network.MASTODON and not data.get("server"):
            self.add_error("server", _("Give the Mastodon server's address."))
        return data


class MarkPublishedForm(forms.Form):
    remote_url = forms.URLField(label=_("Address of the post on the network"), max_length=500, assume_scheme="https")


class RescheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Publish at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
