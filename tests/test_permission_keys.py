"""Keys that say what they allow (issue 8, point 3).

The declared keys (accounts/keys.py) and the keys the code checks must be the same set, and a
key that follows routines up does not put them in force or take them away.
"""

import ast
import importlib
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.keys import DEFAULT_ROLE_PERMISSIONS, PERMISSION_KEYS
from accounts.models import Permission, Role
from routines.models import VersionState
from routines.services.publish import publish, withdraw
from routines.services.review import approve
from tests.test_routines_w_helpers import first, make, person, published, reload

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "tests", "locale", "migrations", "node_modules", "static", "bench"}
# The functions of the permission layer that take a key (accounts/scoping.py, access.py).
CHECKERS = {
    "can",
    "holds",
    "grants",
    "require",
    "requires",
    "scope_q",
    "holds_at_root",
    "visible_to",
    "get_visible_or_404",
    # The apps' entries in the menu and on the start page (core/surfaces.py).
    "menu_entry",
    "start_card",
}
KEY_ATTRIBUTES = {"view_permission", "COVERAGE_KEY"}
PREFIXES = sorted({key.split(".")[0] for key in PERMISSION_KEYS})
DOTTED = re.compile(r"^(?:" + "|".join(PREFIXES) + r")\.[a-z_]+$")


def source_files(suffix):
    for path in sorted(ROOT.rglob(f"*{suffix}")):
        relative = path.relative_to(ROOT)
        if not SKIP_DIRS.intersection(relative.parts):
            yield relative, path.read_text(encoding="utf-8")


def _name(func):
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _strings(nodes):
    return [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def checked_keys():
    """The keys the code asks for: literals given to the permission layer, constants that are
    given to it by name, model attributes, the menu's and start page's entries and the
    templates' checks."""
    literals, constants, names_passed = set(), {}, set()
    for relative, text in source_files(".py"):
        if relative.as_posix() in ("accounts/keys.py", "accounts/seed.py"):
            continue
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in CHECKERS:
                args = list(node.args) + [k.value for k in node.keywords]
                literals.update(_strings(args))
                names_passed.update(a.id for a in args if isinstance(a, ast.Name))
            elif isinstance(node, ast.Call):
                literals.update(
                    _strings(
                        k.value
                        for k in node.keywords
                        if k.arg and k.arg.endswith("permissions__key")
                    )
                )
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = _name(node.targets[0])
                for value in _strings([node.value]):
                    if target in KEY_ATTRIBUTES:
                        literals.add(value)
                    elif target and target.isupper() and DOTTED.match(value):
                        constants.setdefault(target, set()).add(value)
    for name in names_passed & constants.keys():
        literals.update(constants[name])
    for _relative, text in source_files(".html"):
        literals.update(re.findall(r'"([a-z_]+\.[a-z_]+)" in perms_held', text))
    return {key for key in literals if DOTTED.match(key)}


def test_every_declared_key_is_checked_and_every_checked_key_is_declared():
    checked = checked_keys()
    assert checked - set(PERMISSION_KEYS) == set(), "checked but not declared"
    assert set(PERMISSION_KEYS) - checked == set(), "declared but never checked"


def test_the_seed_names_only_declared_keys():
    for role, keys in DEFAULT_ROLE_PERMISSIONS.items():
        assert set(keys) <= set(PERMISSION_KEYS), role


# -- routines: follow-up is not publication -----------------------------------------------------


@pytest.fixture
def auditor(cast):
    return person("revisor", "quality_auditor", cast.administration)


def test_the_quality_auditor_follows_up_but_cannot_publish_withdraw_or_import(
    cast, login, auditor, today
):
    approved = first(make(cast))
    approve(approved, actor=cast.manager_a)
    in_force = first(published(cast, title="Brandskydd"))
    with pytest.raises(PermissionDenied):
        publish(approved, actor=auditor)
    with pytest.raises(PermissionDenied):
        withdraw(in_force, actor=auditor, reason="Gäller inte längre")
    client = login(auditor)
    publish_url = reverse("routines:publish", args=[approved.pk])
    withdraw_url = reverse("routines:withdraw", args=[in_force.pk])
    assert client.get(publish_url).status_code == 403
    assert client.post(publish_url, {"effective_from": today.isoformat()}).status_code == 403
    assert client.get(withdraw_url).status_code == 403
    assert client.post(withdraw_url, {"reason": "Gäller inte längre"}).status_code == 403
    assert client.get(reverse("routines:import")).status_code == 403
    assert reload(approved).state == VersionState.APPROVED
    assert reload(in_force).state == VersionState.PUBLISHED
    # What the key does promise still works: the acknowledgments of the units below.
    assert client.get(reverse("routines:acknowledgments")).status_code == 200


def test_the_approving_role_still_publishes_and_withdraws(cast, login, today):
    approved = first(make(cast))
    approve(approved, actor=cast.manager_a)
    in_force = first(published(cast, title="Brandskydd"))
    client = login(cast.manager_a)
    response = client.post(
        reverse("routines:publish", args=[approved.pk]), {"effective_from": today.isoformat()}
    )
    assert response.status_code == 302
    assert reload(approved).state == VersionState.PUBLISHED
    response = client.post(
        reverse("routines:withdraw", args=[in_force.pk]), {"reason": "Ersatt av ny rutin"}
    )
    assert response.status_code == 302
    assert reload(in_force).state == VersionState.WITHDRAWN
    assert client.get(reverse("routines:import")).status_code == 200


# -- the data migration that splits the keys ---------------------------------------------------


def _keys(code):
    return set(Role.objects.get(code=code).permissions.values_list("key", flat=True))


@pytest.mark.django_db
def test_the_split_gives_each_role_the_new_key_that_matches_what_it_did():
    migration = importlib.import_module("accounts.migrations.0003_split_permission_keys")
    new_keys = [key for key, _required in migration.SPLITS]
    # An installation from before the split: the roles hold the old keys only.
    Permission.objects.filter(key__in=new_keys).delete()
    before = {role.code: _keys(role.code) for role in Role.objects.all()}
    assert "routines.import" not in before["unit_manager"]

    from django.apps import apps

    migration.split(apps, None)

    after = {role.code: _keys(role.code) for role in Role.objects.all()}
    for code, keys in before.items():
        assert keys <= after[code], f"{code} lost a key"
        assert after[code] - keys <= set(new_keys), code
        # The data migration and the seed of a new installation agree.
        expected = set(DEFAULT_ROLE_PERMISSIONS[code]) & set(new_keys)
        assert after[code] & set(new_keys) == expected, code
    assert "routines.import" not in after["quality_auditor"]
    assert "routines.manage" in after["quality_auditor"]
    assert {"routines.import", "legal.manage_holidays"} <= after["quality_developer"]
    assert "legal.manage_holidays" in after["administration_manager"]
    assert "legal.manage_holidays" not in after["unit_manager"]
