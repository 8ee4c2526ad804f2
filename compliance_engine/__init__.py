"""The policy engine behind "check my post": pure Python, no Django, no I/O, no clock.

It is filled by the policy-engine work (PRODUCT.md G4, G5). The application imports it from one
adapter module in the app that owns policies; an import-linter contract keeps Django out of it.

Use: `compiled = compile_policy(policy)` once per policy version, then
`check(text, compiled, date=..., scope=..., language=...)` for each text.

A policy reads from and writes to its text file with `policyfile.loads` and `policyfile.dumps`
(errors: `PolicyFileError`), and carries test cases that `run_test_cases` runs.
"""

from compliance_engine import policyfile
from compliance_engine.engine import CompiledPolicy, Finding, Outcome, PolicyError, Verdict, check, compile_policy
from compliance_engine.policyfile import PolicyFileError
from compliance_engine.testcases import DEFAULT_TEST_DATE, TestCaseResult, run_test_cases

__all__ = [
    "DEFAULT_TEST_DATE",
    "CompiledPolicy",
    "Finding",
    "Outcome",
    "PolicyError",
    "PolicyFileError",
    "TestCaseResult",
    "Verdict",
    "check",
    "compile_policy",
    "policyfile",
    "run_test_cases",
]
