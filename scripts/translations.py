"""Keep the French and English catalogues in step with the code.

    uv run python scripts/translations.py update   # extract, fill English, compile .mo files
    uv run python scripts/translations.py check    # fail if anything is missing, fuzzy or stale

Source strings are English, so the English catalogue is filled from the msgids and only French
needs a translator. The .mo files are committed: GNU gettext (the Debian package `gettext`) is
needed to extract strings, but not to run Porte-Voix in French. They are compiled with polib.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polib

PROJECT_DIR = Path(__file__).resolve().parent.parent
SOURCE_LANGUAGE = "en"
# Django reads the plural rule from the compiled header, so every catalogue must carry it.
PLURAL_FORMS = {"en": "nplurals=2; plural=(n != 1);", "fr": "nplurals=2; plural=(n > 1);"}
# Folders whose files are not Porte-Voix's own user-facing text.
IGNORED = [".venv", "var", "node_modules", "docs", "tests", "scripts"]
# What `check` copies to extract from without touching the working tree.
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "var", "node_modules", "*_cache", "__pycache__", "*.pyc")

Key = tuple[str | None, str, str]


@dataclass(frozen=True)
class Catalogue:
    language: str
    domain: str
    po_path: Path

    @property
    def mo_path(self) -> Path:
        return self.po_path.with_suffix(".mo")

    def label(self) -> str:
        return str(self.po_path.relative_to(PROJECT_DIR))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["update", "check"])
    action = parser.parse_args().action
    if shutil.which("xgettext") is None:
        print("translations: GNU gettext is missing (xgettext not found); install the Debian package `gettext`.")
        return 2
    _setup_django()
    return update() if action == "update" else check()


def _setup_django() -> None:
    sys.path.insert(0, str(PROJECT_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
    os.environ.setdefault("PORTEVOIX_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def languages() -> list[str]:
    from django.conf import settings

    return [code for code, _name in settings.LANGUAGES]


def locale_dir(root: Path) -> Path:
    return root / "portevoix" / "locale"


def domains(root: Path) -> list[str]:
    """djangojs joins in only once there is JavaScript of our own to translate."""
    has_javascript = any(not _is_ignored(path.relative_to(root)) for path in (root / "portevoix").rglob("*.js"))
    return ["django", "djangojs"] if has_javascript else ["django"]


def _is_ignored(relative: Path) -> bool:
    return any(part in IGNORED or part.startswith(".") for part in relative.parts)


def catalogues(root: Path) -> Iterator[Catalogue]:
    for domain in domains(root):
        for language in languages():
            yield Catalogue(language, domain, locale_dir(root) / language / "LC_MESSAGES" / f"{domain}.po")


def extract(root: Path, *, verbosity: int) -> None:
    """Run makemessages over `root`, writing into `root`'s catalogues and nowhere else."""
    from django.core.management import call_command
    from django.test import override_settings

    previous = Path.cwd()
    os.chdir(root)
    try:
        with override_settings(LOCALE_PATHS=[locale_dir(root)]):
            for domain in domains(root):
                call_command(
                    "makemessages",
                    locale=languages(),
                    domain=domain,
                    ignore_patterns=list(IGNORED),
                    no_obsolete=True,
                    no_wrap=True,
                    add_location="file",
                    verbosity=verbosity,
                )
    finally:
        os.chdir(previous)


# update


def update() -> int:
    before = {catalogue.po_path: _read(catalogue.po_path) for catalogue in catalogues(PROJECT_DIR)}
    extract(PROJECT_DIR, verbosity=1)
    for catalogue in catalogues(PROJECT_DIR):
        if not catalogue.po_path.exists():
            continue  # JavaScript with no string to translate: makemessages writes no catalogue
        # One line per message: easy to review, and a wrapped msgstr never looks empty to line tools.
        po = polib.pofile(str(catalogue.po_path), wrapwidth=0)
        _set_header(po, catalogue.language)
        if catalogue.language == SOURCE_LANGUAGE:
            _fill_from_source(po)
        _save_unless_unchanged(po, catalogue.po_path, before.get(catalogue.po_path))
        _compile(catalogue)
        untranslated = len([entry for entry in po if not entry.translated()])
        print(f"{catalogue.label()}: {len(po)} entries, {untranslated} untranslated or fuzzy")
    return 0


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def _set_header(po: polib.POFile, language: str) -> None:
    po.header = f"Porte-Voix, {language} catalogue. Run `scripts/translations.py update` after changing strings."
    po.metadata_is_fuzzy = False
    po.metadata["Project-Id-Version"] = "Porte-Voix"
    po.metadata["Language"] = language
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Plural-Forms"] = PLURAL_FORMS[language]


def _fill_from_source(po: polib.POFile) -> None:
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None


def _save_unless_unchanged(po: polib.POFile, path: Path, before: str | None) -> None:
    # msgmerge stamps a new POT-Creation-Date on every run; keep the old file when nothing else
    # changed so that `update` is idempotent and diffs show only real changes.
    if before is not None:
        fresh_date = po.metadata.get("POT-Creation-Date")
        po.metadata["POT-Creation-Date"] = polib.pofile(before).metadata.get("POT-Creation-Date", "")
        if str(po) == before:
            path.write_text(before, encoding="utf-8")
            return
        po.metadata["POT-Creation-Date"] = fresh_date
    po.save(str(path))


def _compile(catalogue: Catalogue) -> None:
    po = polib.pofile(str(catalogue.po_path))
    if not catalogue.mo_path.exists() or _mo_problems(po, polib.mofile(str(catalogue.mo_path))):
        po.save_as_mofile(str(catalogue.mo_path))


# check


def check() -> int:
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="portevoix-translations-") as scratch:
        copy = Path(scratch) / "project"
        shutil.copytree(PROJECT_DIR, copy, ignore=NOT_COPIED)
        extract(copy, verbosity=0)
        for catalogue in catalogues(PROJECT_DIR):
            extracted = copy / catalogue.po_path.relative_to(PROJECT_DIR)
            if not extracted.exists():
                if catalogue.po_path.exists():
                    problems.append(f"{catalogue.label()}: no longer has any string: delete it")
                continue
            problems += _catalogue_problems(catalogue, polib.pofile(str(extracted)))
    if problems:
        print("\n".join(problems))
        print(f"translations: {len(problems)} problem(s). Run `uv run python scripts/translations.py update`,")
        print("then translate the French entries listed (and clear their fuzzy flags).")
        return 1
    print("translations: catalogues complete and compiled.")
    return 0


def _catalogue_problems(catalogue: Catalogue, extracted: polib.POFile) -> list[str]:
    label = catalogue.label()
    if not catalogue.po_path.exists():
        return [f"{label}: missing catalogue"]
    po = polib.pofile(str(catalogue.po_path))
    committed = {_key(entry) for entry in po if not entry.obsolete}
    in_code = {_key(entry) for entry in extracted if not entry.obsolete}
    problems = [
        f"{label}: in the code, missing from the catalogue: {_show(key)}" for key in _sorted(in_code - committed)
    ]
    problems += [f"{label}: no longer in the code: {_show(key)}" for key in _sorted(committed - in_code)]
    for entry in po:
        if entry.obsolete:
            continue
        if entry.fuzzy:
            problems.append(f"{label}: fuzzy: {_show(_key(entry))}")
        elif not entry.translated():
            problems.append(f"{label}: untranslated: {_show(_key(entry))}")
    problems += _format_problems(catalogue)
    if not catalogue.mo_path.exists():
        problems.append(f"{label}: no compiled .mo file")
    else:
        problems += [f"{label}: {problem}" for problem in _mo_problems(po, polib.mofile(str(catalogue.mo_path)))]
    return problems


def _format_problems(catalogue: Catalogue) -> list[str]:
    # A translation whose placeholders differ from the msgid's crashes or garbles the page.
    result = subprocess.run(
        ["msgfmt", "--check-format", "--output-file=/dev/null", str(catalogue.po_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [f"{catalogue.label()}: {line}" for line in result.stderr.splitlines()] if result.returncode else []


def _mo_problems(po: polib.POFile, mo: polib.MOFile) -> list[str]:
    """What the compiled file would translate differently from its .po, compared by meaning."""
    expected = {_key(entry): _translation(entry) for entry in po.translated_entries()}
    compiled = {_key(entry): _translation(entry) for entry in mo if entry.msgid}
    problems = [f".mo out of date for {_show(key)}" for key in _sorted(expected.keys() ^ compiled.keys())]
    problems += [f".mo out of date for {_show(key)}" for key in _sorted(expected.keys() & compiled.keys())
                 if expected[key] != compiled[key]]  # fmt: skip
    if _header(po.metadata) != _header(mo.metadata):
        problems.append(".mo header differs from the .po header")
    return problems


def _key(entry: polib.POEntry | polib.MOEntry) -> Key:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or "")


def _translation(entry: polib.POEntry | polib.MOEntry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def _header(metadata: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in metadata.items() if name in {"Language", "Content-Type", "Plural-Forms"}}


def _sorted(keys: Iterable[Key]) -> list[Key]:
    return sorted(keys, key=lambda key: (key[0] or "", key[1], key[2]))


def _show(key: Key) -> str:
    context, msgid, plural = key
    shown = repr(msgid) + (f" / {plural!r}" if plural else "")
    return f"{shown} (context {context!r})" if context else shown


if __name__ == "__main__":
    sys.exit(main())
