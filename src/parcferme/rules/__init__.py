"""Rules as data: race rule sets (`rule_sets`), points rule sets and championship decisions
(`points_loader`), the packaged TOML files beside these modules (`packaged`).

Every problem with a rule file raises `RuleSetError`, which is both a `RuleError` (the rule set is invalid)
and an `InputError` (it names the file, the line and the key). The loaders' names below load with their
module on first use, so that a command needing only the points rules does not load the race rules' too.
"""

from typing import TYPE_CHECKING

from parcferme._lazy import lazy_exports
from parcferme.errors import InputError, RuleError

if TYPE_CHECKING:
    from parcferme.rules.rule_sets import available_rule_sets, is_path_reference, load_rule_set, parse_share

__all__ = ["RuleSetError", "available_rule_sets", "is_path_reference", "load_rule_set", "parse_share"]


class RuleSetError(InputError, RuleError):
    """A rule-set file is missing or invalid: caught as a RuleError or as an InputError (file, line, key)."""


_MODULE = "parcferme.rules.rule_sets"
__getattr__ = lazy_exports(__name__, globals(), {name: _MODULE for name in __all__ if name != "RuleSetError"})
