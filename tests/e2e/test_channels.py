"""A community manager adds a demo channel (the form shows the chosen network's fields in place), sees
that it publishes to nothing real, and settles an unconfirmed post from the queue by giving its address;
the row updates in place (htmx)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.channels import services
from portevoix.channels.models import Channel, Dispatch
from tests.e2e.conftest import Texts
from tests.e2e.pages import heading, sign_in

pytestmark = pytest.mark.e2e

DEMO_NOTICE = (
    "This is a demo channel: its posts go through the whole queue, at their time, but are published to "
    "nothing real. Nobody outside Porte-Voix sees them."
)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_community_manager_adds_a_demo_channel_and_settles_an_unconfirmed_post(
    page: Page, personas: Personas, texts: Texts, language: str
) -> None:
    camille = personas.community_manager
    set_interface_language(person=camille, language=language)
    sign_in(page, camille.email)

    page.goto("/channels/")
    page.locator("#id_network").select_option("bluesky")
    # Choosing the network swaps in its own fields: Bluesky asks for an app password, not a server to approve on.
    expect(page.locator("#id_app_password")).to_be_visible()
    page.locator("#id_name").fill("Acme sur Bluesky")
    page.locator("#id_is_demo").check()
    with page.expect_navigation():
        page.locator("form.channel-connect button[type=submit]").click()

    assert heading(page).startswith("Acme sur Bluesky")
    texts.check_as_catalogued(page.locator("#demo-notice").inner_text().strip(), DEMO_NOTICE)
    channel = Channel.objects.get()
    dispatch = services.schedule_dispatch(
        channel=channel,
        source_key="post:1",
        text="Notre nouvelle éolienne tourne.",
        scheduled_at=timezone.now() - datetime.timedelta(minutes=5),
        actor=camille,
    )
    Dispatch.objects.filter(pk=dispatch.pk).update(state=Dispatch.State.UNCONFIRMED)

    page.reload()
    row = page.locator(f"#dispatch-{dispatch.pk}")
    row.locator("input[name=remote_url]").fill("https://bsky.app/profile/acme/post/1")
    row.locator("form:has(input[value=mark_published]) button").click()

    expect(page.locator(f"#dispatch-{dispatch.pk} .dispatch-state-sent")).to_be_visible()
    expect(page.locator(f"#dispatch-{dispatch.pk} a[href='https://bsky.app/profile/acme/post/1']")).to_be_visible()
    dispatch.refresh_from_db()
    assert (dispatch.state, dispatch.remote_url) == (Dispatch.State.SENT, "https://bsky.app/profile/acme/post/1")
    texts.finish()
