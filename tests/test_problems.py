"""Every problem says what kind it is: a code from one list, documented in the README.

Three views that must agree: the codes the tool declares (``selfeval.problems.CODES``),
the codes its source hands to each problem it makes (read here with Python's own parser,
not with the tool), and the README's table, which readers look codes up in. What the
problems of real mistakes print is checked by ``conftest.assert_problem``, which every test
of a mistake uses: each line must end with a declared code.
"""

from __future__ import annotations

import ast
import re

from conftest import REPO

from selfeval.problems import CODES, Problem, Problems

CORE = REPO / "macros" / "selfeval"


def problem_calls():
    """(where, code or None) for every Problem(...), problems.add(...) and problems.warn(...) in the core."""
    for path in sorted(CORE.rglob("*.py")):
        if path.name == "problems.py":
            continue  # the type itself, which passes on what it is given
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in ("Problem", "add", "warn") or (name != "Problem" and not isinstance(func, ast.Attribute)):
                continue
            if len(node.args) + len(node.keywords) < 3 and not any(isinstance(a, ast.Starred) for a in node.args):
                continue  # a set's add, not a problem
            where = f"{path.relative_to(REPO)}:{node.lineno}"
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            yield where, code


def test_every_problem_the_core_makes_names_its_code():
    missing = [where for where, code in problem_calls() if code is None]
    assert missing == [], "problems made without a code=:\n" + "\n".join(missing)


def test_every_code_named_in_the_source_is_declared_and_every_declared_one_is_used():
    # The record reader names the code of each kind of mistake in a table of its own.
    from selfeval.project.records import CODE_OF

    used = set(CODE_OF.values()) | {"date-invalid"}
    assert set(CODE_OF.values()) <= set(CODES)
    for where, code in problem_calls():
        if isinstance(code, ast.Constant):
            assert code.value in CODES, f"{where}: code '{code.value}' is not in selfeval.problems.CODES"
            used.add(code.value)
    assert set(CODES) - used == set(), "declared codes nothing uses"


def test_the_readme_lists_every_code_with_its_meaning_and_no_other():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Problem codes", 1)[1].split("\n#", 1)[0]
    table = dict(re.findall(r"^\| `([a-z-]+)` \| (.+?) \|$", section, re.M))
    assert set(table) == set(CODES), f"README codes differ: {sorted(set(table) ^ set(CODES))}"
    for code, meaning in CODES.items():
        assert table[code] == meaning, f"the README says {code} is '{table[code]}'; the tool says '{meaning}'"


def test_a_problem_line_ends_with_its_code_and_ci_gets_it_as_the_title():
    problems = Problems()
    problems.warn("content/a.md", 3, "figure 'x' is stale", "add a newer observation", code="figure-stale")
    line = str(problems.items[0])
    assert line == "content/a.md:3: warning: figure 'x' is stale — add a newer observation [figure-stale]"
    assert problems.items[0].github_annotation() == (
        "::warning file=content/a.md,line=3,title=figure-stale::figure 'x' is stale — add a newer observation"
    )
    assert (
        str(Problem("data/x.csv", 0, "the file is empty", "", "error", "file-empty"))
        == "data/x.csv: the file is empty [file-empty]"
    )
