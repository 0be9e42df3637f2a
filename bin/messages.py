"""Refresh the translations: extract strings, derive zh-Hant from zh-Hans, compile .mo files.

zh_Hans and pt are translated by people in their .po files. zh_Hant is derived from zh_Hans
with OpenCC (Hong Kong conventions) unless a translator marked an entry by hand (a
"# manual" translator comment). .mo files are compiled with polib, so no gettext tools are
needed at run time. Usage: python bin/messages.py [--no-extract]
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import opencc
import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGS = ["zh_Hans", "zh_Hant", "en", "pt"]


def extract() -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="onestop.settings.test")
    args = [
        sys.executable,
        "manage.py",
        "makemessages",
        "--no-obsolete",
        "-v0",
        "--ignore=.venv",
        "--ignore=var",
        "--ignore=bench",
        "--ignore=bin",
    ]
    for lang in LANGS:
        args += ["-l", lang]
    subprocess.run(args, cwd=ROOT, env=env, check=True)


def derive_traditional() -> None:
    simplified = polib.pofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.po"))
    path = LOCALE / "zh_Hant/LC_MESSAGES/django.po"
    traditional = polib.pofile(str(path))
    convert = opencc.OpenCC("s2hk").convert
    source = {(e.msgctxt, e.msgid): e for e in simplified}
    for entry in traditional:
        if "manual" in (entry.tcomment or ""):
            continue
        src = source.get((entry.msgctxt, entry.msgid))
        if src is None:
            continue
        entry.msgstr = convert(src.msgstr)
        entry.msgstr_plural = {k: convert(v) for k, v in src.msgstr_plural.items()}
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    traditional.save()


def compile_all() -> None:
    for lang in LANGS:
        po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES/django.po"))
        po.save_as_mofile(str(LOCALE / lang / "LC_MESSAGES/django.mo"))


if __name__ == "__main__":
    if "--no-extract" not in sys.argv:
        extract()
    derive_traditional()
    compile_all()
    print("translations compiled:", ", ".join(LANGS))
