"""Case files: the shared schema, loading, consistency checks, validation, templates.

The data themselves live in the repository's top-level ``cases/`` (shipped in
the package as ``timeline_sim.cases.shipped``). Each model family adds the schema
of its own kind of case (``timeline_sim.models.fta.schema``, ...).
"""

from timeline_sim.cases.loading import (
    CASES_DIR,
    CaseError,
    LoadedCase,
    list_cases,
    load_case,
    resolve_case_path,
)

__all__ = ["CASES_DIR", "CaseError", "LoadedCase", "list_cases", "load_case", "resolve_case_path"]
