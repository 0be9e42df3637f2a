"""Every user-facing string is translated, and the compiled catalogues match the sources."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant", "pt"])
def test_every_message_is_translated(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po if not e.translated() and not e.obsolete]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert untranslated == [] and fuzzy == []
    assert len(po) > 150


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant", "en", "pt"])
def test_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(folder / "django.mo"))

    def entries(catalogue):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid and (e.msgstr or any(e.msgstr_plural.values()))
        }

    assert entries(mo) == entries(po), "run: make messages"


def test_traditional_catalogue_is_not_simplified():
    po = polib.pofile(str(LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"))
    by_id = {e.msgid: e.msgstr for e in po}
    assert by_id["Government services in one place"] == "政務服務，一站辦成"
    assert by_id["Sign in"] == "登入"
