"""The consistency rule catalog, shared by data validation and the document checker."""

from juesuan.rules.registry import RULES, Rule, RuleContext, run_rules

__all__ = ["RULES", "Rule", "RuleContext", "run_rules"]
