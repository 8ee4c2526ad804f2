"""The policy engine behind "check my post": pure Python, no Django, no I/O, no clock.

It is filled by the policy-engine work (PRODUCT.md G4, G5). The application imports it from one
adapter module in the app that owns policies; an import-linter contract keeps Django out of it.

Use: `compiled = compile_policy(policy)` once per policy version, then
`check(text, compiled, date=..., scope=..., language=...)` for each text.
"""

from compliance_engine.engine import CompiledPolicy, Finding, Outcome, PolicyError, Verdict, check, compile_policy

__all__ = ["CompiledPolicy", "Finding", "Outcome", "PolicyError", "Verdict", "check", "compile_policy"]
