"""Printing problems for people and for CI."""

from __future__ import annotations

import os
import sys

from selfeval.problems import Problems


def print_problems(problems: Problems, stream=None) -> None:
    """One line per problem, errors first; GitHub annotations too when running in Actions."""
    stream = stream or sys.stderr
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    ordered = sorted(problems, key=lambda p: (p.severity != "error", p.path, p.line))
    for problem in ordered:
        print(problem, file=stream)
        if github:
            print(problem.github_annotation(), file=sys.stdout)
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=stream)
