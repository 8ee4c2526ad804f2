"""The policy as a text file: TOML that a compliance officer reads, diffs and edits (docs/policy-format.md).

`loads` reads a file into a `Policy` and refuses whatever it does not understand, an unknown key
above all: a typo silently ignored would be a rule silently off. Every error says what is wrong
and where ("Rule 3 'projets' (kind terms, line 42): unknown severity 'blok'; ..."). The policy
read is then compiled, so a file that loads is a policy the engine accepts.

`dumps` writes a policy canonically: the same policy always gives the very same text, keys in
a fixed order, rules in policy order, one item per line in the long lists, and settings equal to
their defaults left out. The application shows line diffs between versions of this text, so any
change to the writing shows up as a change in every stored version: keep it stable.

Import and export are lossless: `loads(dumps(policy)) == policy` for every policy that compiles.
Comments in a file are not kept (a test case has a `note` for that).

Every error is a `PolicyFileError` whose `str()` is English and which carries a stable `code`,
plain `params` and a `location` besides, so that an application can say it in its reader's
language (`errors` lists the codes and their parameters).

Modules: `errors` holds the errors, `table` reads one TOML table with located errors, `kinds` holds the settings of each
rule kind for reading and writing alike, `values` writes TOML values, `reading` and `writing`
hold `loads` and `dumps`.
"""

from compliance_engine.policyfile.errors import ErrorCode, Location, PolicyFileError
from compliance_engine.policyfile.reading import loads
from compliance_engine.policyfile.table import FORMAT
from compliance_engine.policyfile.writing import dumps

__all__ = ["FORMAT", "ErrorCode", "Location", "PolicyFileError", "dumps", "loads"]
