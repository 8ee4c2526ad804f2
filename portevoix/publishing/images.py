"""Images attached to official posts: what a file really is, read from its first bytes.

The browser's declared type and the file name are not trusted: a post's image goes to every
network it is published on, so it must be an image the networks accept.
"""

from django.utils.translation import gettext_lazy as _

MAX_IMAGE_BYTES = 5 * 1024 * 1024  # X's limit for a still image
MAX_IMAGES = 4  # X and Bluesky take at most four images per post
MAX_ALT_TEXT = 1000  # X's limit for alternative text; Bluesky and Mastodon allow more
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
TOO_LARGE = _("The image is larger than 5 MB.")
NOT_AN_IMAGE = _("This file is not a PNG, JPEG, GIF or WebP image.")


def sniff_image_type(head: bytes) -> str | None:
    """The image type of a file from its first 12 bytes, or None if it is none of those accepted."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None
