"""Protected identities at rest: encrypted with keys from the environment, findable by a keyed
hash.

The text is encrypted with Fernet (AES-128-CBC with HMAC-SHA256). `HJULET_FIELD_KEYS` lists
Fernet keys separated by commas, newest first: the first encrypts, every one decrypts, so a key
is rotated by putting a new one in front and running `manage.py rotate_field_keys` before the
old one is dropped. Exact search goes through an HMAC-SHA256 of a normalised form under
`HJULET_FIELD_HASH_KEY`, a separate secret that never rotates (rotating it would lose every
search). Production refuses to start without both. In development both are derived from
SECRET_KEY, so nothing needs configuring there; `check --deploy` flags that.
"""

import base64
import hashlib
import hmac
import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.db import models

from core.pin import find_personal_numbers, normalise_personal_number

MASK = "********"


def _derived(label):
    return hashlib.sha256(f"hjulet:{label}:{settings.SECRET_KEY}".encode()).digest()


def keys_are_derived():
    return not (settings.FIELD_ENCRYPTION_KEYS and settings.FIELD_HASH_KEY)


@cache
def _fernet():
    keys = settings.FIELD_ENCRYPTION_KEYS or [
        base64.urlsafe_b64encode(_derived("field-encryption")).decode()
    ]
    return MultiFernet([Fernet(key) for key in keys])


@cache
def _hash_key():
    return settings.FIELD_HASH_KEY.encode() if settings.FIELD_HASH_KEY else _derived("field-hash")


def reset_keys():
    """Forget the keys read so far (tests that change the settings call this)."""
    _fernet.cache_clear()
    _hash_key.cache_clear()


def encrypt(text):
    if not text:
        return text
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token):
    if not token:
        return token
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        # A value no key opens must not pass as the identity: say which, never what.
        raise ValueError("A protected field could not be decrypted with any key.") from error


def rotate(token):
    """The same text encrypted under the newest key."""
    return _fernet().rotate(token.encode()).decode() if token else token


def keyed_hash(normalised):
    if not normalised:
        return ""
    return hmac.new(_hash_key(), normalised.encode(), hashlib.sha256).hexdigest()


def normalise_name(text):
    """Lower case, without personal identity numbers, punctuation or word order."""
    for number in find_personal_numbers(text or ""):
        text = text.replace(number, " ")
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", (text or "").lower())
    return " ".join(sorted(words))


def identity_digests(text):
    """(hash of the first personal identity number, hash of the name) of a protected text."""
    numbers = find_personal_numbers(text or "")
    pin = normalise_personal_number(numbers[0]) if numbers else ""
    return keyed_hash(pin), keyed_hash(normalise_name(text))


def mask_whole(value):
    """The change log's mask: that the field changed, never any part of what it holds."""
    return value if value in ("", "None") else MASK


class EncryptedTextField(models.TextField):
    """A text stored encrypted; reads and writes see the clear text. It cannot be filtered on:
    search through the keyed hash stored beside it."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        return encrypt(super().get_prep_value(value))


@checks.register(checks.Tags.security, deploy=True)
def check_field_keys(app_configs, **kwargs):
    if keys_are_derived():
        return [
            checks.Warning(
                "The protected fields are encrypted with keys derived from SECRET_KEY.",
                hint="Set HJULET_FIELD_KEYS (Fernet keys) and HJULET_FIELD_HASH_KEY.",
                id="hjulet.W001",
            )
        ]
    return []
