"""What a newcomer to the code reads first stays true: the core's index names every module,
and every module says what it holds."""

import ast
import re

from conftest import REPO

CORE = REPO / "macros" / "selfeval"


def test_the_core_index_names_every_module_and_no_other():
    index = ast.get_docstring(ast.parse((CORE / "__init__.py").read_text(encoding="utf-8"))) or ""
    listed = set(re.findall(r"``([a-z_]+)``", index))
    modules = {p.stem for p in CORE.glob("*.py")} - {"__init__"}
    assert modules - listed == set(), "modules missing from macros/selfeval/__init__.py"
    assert listed - modules == set(), "macros/selfeval/__init__.py names modules that do not exist"


def test_every_module_opens_with_what_it_holds():
    bare = [
        str(p.relative_to(REPO))
        for folder in ("macros", "scripts")
        for p in sorted((REPO / folder).rglob("*.py"))
        if ".venv" not in p.parts and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert bare == [], bare
