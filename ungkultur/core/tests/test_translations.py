"""The catalogues: complete, compiled, and holding every string the code marks.

The source strings are bokmål; nynorsk and English are translations in locale/.
"""

import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LANGUAGES = ["nn", "en"]


def catalogue(lang, ext):
    return settings.BASE_DIR / "locale" / lang / "LC_MESSAGES" / f"django.{ext}"


def messages(entries):
    return {
        (e.msgctxt, e.msgid): e.msgstr or tuple(sorted(e.msgstr_plural.items())) for e in entries
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_is_complete(lang):
    po = polib.pofile(str(catalogue(lang, "po")))
    missing = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
    assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(lang):
    po = polib.pofile(str(catalogue(lang, "po")))
    mo = polib.mofile(str(catalogue(lang, "mo")))
    assert messages(mo) == messages(po.translated_entries()), f"run `make messages` ({lang})"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext")
def test_every_marked_string_is_in_the_catalogues(tmp_path, monkeypatch):
    """Extract the strings afresh in a scratch copy of the sources and compare.

    makemessages writes into the locale folder nearest the sources, so it runs on a copy.
    """
    for name in ("ungkultur", "tests", "locale"):
        shutil.copytree(
            settings.BASE_DIR / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["nn"], no_obsolete=True, verbosity=0)
    fresh = polib.pofile(str(tmp_path / "locale/nn/LC_MESSAGES/django.po"))
    committed = polib.pofile(str(catalogue("nn", "po")))
    fresh_ids = {(e.msgctxt, e.msgid) for e in fresh}
    committed_ids = {(e.msgctxt, e.msgid) for e in committed}
    assert fresh_ids - committed_ids == set(), "new strings: run `make messages`, translate them"
    assert committed_ids - fresh_ids == set(), "strings no longer used: run `make messages`"
