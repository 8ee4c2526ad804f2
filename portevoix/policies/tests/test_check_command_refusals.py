# ruff: noqa: RUF001  -- French messages use the typographic apostrophe
"""`portevoix check` refuses a text holding a null character, as the page and the API do.

Such a text can only come from standard input (a command-line argument cannot hold U+0000), so
the real command is run with its text piped in, and its exit status and standard error are read.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portevoix.policies.tests.check_policy import ACME_POLICY

PROJECT_DIR = Path(__file__).resolve().parents[3]
NUL_TEXT = "Bravo à tous\npour le Projet\x00Heron"
NUL_MESSAGE = {
    "en": (
        "CommandError: The text holds an invisible null character (U+0000) at line 2, column 15: it cannot be "
        "published or kept. Delete it (it often comes with text pasted from a file) and try again.\n"
    ),
    "fr": (
        "CommandError: Le texte contient un caractère nul invisible (U+0000) ligne 2, colonne 15\u00a0: il ne peut "
        "être ni publié ni conservé. Supprimez-le (il vient souvent d’un texte copié depuis un fichier) et "
        "réessayez.\n"
    ),
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_null_character_read_from_standard_input_is_refused_with_its_line_and_column(
    tmp_path: Path, language: str
) -> None:
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text(ACME_POLICY, encoding="utf-8")
    # No database at all: the refusal must come before any of it, as a check with --policy does.
    env = os.environ | {
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nowhere",
        "PORTEVOIX_DATA_DIR": str(tmp_path),
        "PORTEVOIX_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "portevoix", "check", "--policy", str(policy_file), "--language", language, "-"]

    done = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, input=NUL_TEXT, capture_output=True, text=True, timeout=60, check=False
    )

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == NUL_MESSAGE[language]
