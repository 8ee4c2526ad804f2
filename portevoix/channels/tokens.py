"""Tokens encrypted at rest: Fernet keys from the settings (never from the database), rotation by MultiFernet."""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class TokenKeyError(RuntimeError):
    """A stored token cannot be decrypted with the configured keys (a key was removed or changed)."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.CHANNEL_TOKEN_KEYS))


def encrypt_secret(value: str) -> str:
    """The encrypted form of `value` to store; the empty string stays empty."""
    return _current().encrypt(value.encode()).decode() if value else ""


def decrypt_secret(stored: str) -> str:
    """The clear value of a stored secret; raises TokenKeyError if no configured key opens it."""
    if not stored:
        return ""
    try:
        return _current().decrypt(stored.encode()).decode()
    except InvalidToken:
        raise TokenKeyError("A channel token cannot be decrypted: check PORTEVOIX_TOKEN_KEYS.") from None
