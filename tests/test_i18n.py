"""The Swedish catalogue is complete and the compiled catalogues match their sources.

Extraction needs GNU gettext (xgettext, msgmerge); without it the completeness test is skipped
locally, and CI (which sets HJULET_REQUIRE_GETTEXT=1) fails instead.
"""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


def _need_gettext():
    if shutil.which("xgettext") and shutil.which("msgmerge"):
        return
    if os.environ.get("HJULET_REQUIRE_GETTEXT") == "1":
        pytest.fail("GNU gettext is required (apt-get install gettext)")
    pytest.skip("GNU gettext (xgettext) is not installed")


# Copied besides the sources: makemessages writes to the catalogue beside the files it reads,
# so it runs in a copy of the project (the real catalogue stays as committed).
COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "data",
    "media",
    "staticfiles",
    "__pycache__",
    "*.pyc",
    ".ruff_cache",
    "test-results",
    "bench-results",
    "node_modules",
)


def test_every_string_in_the_code_has_a_swedish_translation(tmp_path, settings):
    _need_gettext()
    project = tmp_path / "project"
    shutil.copytree(settings.BASE_DIR, project, ignore=COPY_IGNORE)
    settings.LOCALE_PATHS = [project / "locale"]
    cwd = os.getcwd()
    os.chdir(project)
    try:
        call_command(
            "makemessages",
            locale=["sv"],
            ignore_patterns=["tests/*"],
            no_obsolete=True,
            verbosity=0,
        )
    finally:
        os.chdir(cwd)
    po = polib.pofile(str(project / "locale/sv/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == [], f"{len(missing)} strings lack a Swedish translation: {missing[:20]}"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_compiled_catalogue_matches_its_source(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES/django.po"))
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES/django.mo"))
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo
    }
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po
        if e.translated() and not e.obsolete and not e.fuzzy
    }
    assert source.items() <= compiled.items(), "run `make messages` to recompile"


def test_swedish_is_the_default_language(client, db):
    response = client.get("/account/login/")
    assert response["Content-Language"] == "sv"
    with translation.override("sv"):
        assert translation.gettext("Log in") == "Logga in"


def test_browser_language_does_not_override_swedish(client, db):
    response = client.get("/account/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "sv"


def test_language_switch_chooses_english(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/account/login/"})
    assert client.get("/account/login/")["Content-Language"] == "en"


def test_no_translation_call_hides_inside_an_f_string():
    """xgettext does not read the expressions of f-strings: a `_("…")` there is never
    extracted, so the completeness test above cannot see it and the text stays English."""
    import re

    call = re.compile(r"""\bf(["']).*\{[^{}]*\b(_|gettext|gettext_lazy|ngettext|pgettext)\(""")
    hidden = []
    for path in Path(settings.BASE_DIR).rglob("*.py"):
        relative = path.relative_to(settings.BASE_DIR)
        if relative.parts[0] in {".venv", "tests", "node_modules"}:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if call.search(line):
                hidden.append(f"{relative}:{number}")
    assert hidden == [], f"move these translated texts out of f-strings: {hidden}"
