"""What an import reads once per batch: the uploaded files by name (with fingerprints of their
bytes) and the units, people and roles that index rows name. Used by
routines/importing/importer.py.

Names are compared in Python, after Unicode composition and case folding, so that å, ä and ö
compare without regard to case on every database, and a file name sent decomposed by macOS
matches the index.
"""

import hashlib
import unicodedata

from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.scoping import can, grants
from organisation.models import OrgNode
from routines.importing.index import file_name_value
from routines.importing.legal import LegalMatcher

IMPORT = "routines.import"


def nfc(name):
    return unicodedata.normalize("NFC", name or "")


def upload_name(file):
    # macOS sends decomposed letters (a + ring): compose them so "Brandskydd å.pdf" matches.
    return nfc(file_name_value(file.name))


class Uploads:
    """The uploaded documents by name, with their bytes' fingerprints."""

    def __init__(self, files):
        self.by_key = {}
        self.names = {}
        for file in files:
            name = upload_name(file)
            self.by_key.setdefault(name.casefold(), []).append(file)
            self.names.setdefault(name.casefold(), name)

    def get(self, name):
        """(file, error): the one upload of that name, or why there is none."""
        found = self.by_key.get(nfc(name).casefold(), [])
        if not found:
            return None, _("the file “%(name)s” is not among the uploaded files") % {"name": name}
        if len({fingerprint(f) for f in found}) > 1:
            return None, _(
                "several different uploaded files are called “%(name)s”: rename one of them"
            ) % {"name": name}
        return found[0], None


def fingerprint(file):
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in file.chunks() if hasattr(file, "chunks") else [file.read()]:
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def stored_fingerprints(routine):
    prints = set()
    for version in routine.versions.exclude(file=""):
        try:
            with version.file.open("rb") as stored:
                prints.add(fingerprint(stored))
        except OSError:
            continue
    return prints


class Lookups:
    """Units, people and roles read once per import, matched in Python so that å, ä and ö
    compare without regard to case on every database."""

    def __init__(self, actor):
        self.actor = actor
        self.nodes = {}
        for node in OrgNode.objects.filter(is_active=True):
            for key in {node.name.casefold(), (node.code or "").casefold()} - {""}:
                self.nodes.setdefault(nfc(key), []).append(node)
        self.roles = {}
        for role in Role.objects.all():
            for key in {role.code, role.name, role.name_en} - {""}:
                self.roles[nfc(key).casefold()] = role
        self.legal = LegalMatcher()

    def unit(self, value, reasons):
        found = self.nodes.get(nfc(value).casefold(), [])
        if not found:
            reasons.append(
                _("unknown unit “%(unit)s” (give its code or exact name)") % {"unit": value}
            )
            return None
        allowed = [n for n in found if can(self.actor, IMPORT, n)]
        if not allowed:
            reasons.append(
                _("you may not import routines for “%(unit)s” (outside your units)")
                % {"unit": value}
            )
            return None
        if len(allowed) > 1:
            reasons.append(
                _("several units are called “%(unit)s”: give the unit's code instead")
                % {"unit": value}
            )
            return None
        return allowed[0]

    def owner(self, value, unit, reasons):
        key = value.casefold()
        matches = [
            u
            for u in User.objects.filter(is_active=True).filter(username__iexact=value)
            | User.objects.filter(is_active=True, email__iexact=value)
            if key in (u.username.casefold(), u.email.casefold())
        ]
        matches = list({u.pk: u for u in matches}.values())
        if not matches:
            reasons.append(
                _("unknown owner “%(owner)s” (give a user name or e-mail of an active account)")
                % {"owner": value}
            )
            return None
        if len(matches) > 1:
            reasons.append(
                _("several accounts have the e-mail “%(owner)s”: give the user name")
                % {"owner": value}
            )
            return None
        owner = matches[0]
        if unit is not None and not reads_routines_of(owner, unit):
            reasons.append(
                _(
                    "the owner %(owner)s has no role at “%(unit)s” or above it and could not read "
                    "the routine"
                )
                % {"owner": owner, "unit": unit}
            )
        return owner

    def roles_of(self, values, reasons):
        roles = []
        for value in values:
            role = self.roles.get(nfc(value).casefold())
            if role is None:
                reasons.append(_("unknown role “%(role)s”") % {"role": value})
            elif role not in roles:
                roles.append(role)
        return roles


def reads_routines_of(user, unit):
    """Whether `Routine.objects.visible_to(user)` would include a routine of `unit`."""
    for grant in grants(user, "routines.view"):
        if grant.covers(unit) or unit.pk in (int(s) for s in grant.path.strip("/").split("/")):
            return True
    return False
