"""Noise rules: one module per family, all registered in `cleaner.noise.registry.RULES`.

Importing this package imports every rule module, so the registry is complete.
"""

from cleaner.noise import link_markup  # noqa: F401
from cleaner.noise.registry import RULES, LineRule, Rule, TextView, register

__all__ = ["RULES", "LineRule", "Rule", "TextView", "register"]
