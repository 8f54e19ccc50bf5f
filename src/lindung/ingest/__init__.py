"""Getting numbers in: submission templates, checks that say what to fix, versioned import,
and the approval workflow.

``make_template`` writes a workbook or a long CSV with its Table Schema; ``check_file``
reports every finding without storing anything; ``import_file`` stores a clean file as a new
draft version; ``move`` takes it through submit, validate or return, and publish.
"""

from lindung.ingest.accounts import acting_user, may_act_for, register_user
from lindung.ingest.check import Report, check_file, file_hash
from lindung.ingest.findings import CATALOGUE as FINDING_TYPES
from lindung.ingest.findings import Finding, Location, RuleViolation
from lindung.ingest.importer import Imported, import_file
from lindung.ingest.reader import Limits
from lindung.ingest.rules import RuleSet, load_rules
from lindung.ingest.template import make_template
from lindung.ingest.workflow import TRANSITIONS, move

__all__ = [
    "FINDING_TYPES",
    "TRANSITIONS",
    "Finding",
    "Imported",
    "Limits",
    "Location",
    "Report",
    "RuleSet",
    "RuleViolation",
    "acting_user",
    "check_file",
    "file_hash",
    "import_file",
    "load_rules",
    "make_template",
    "may_act_for",
    "move",
    "register_user",
]
