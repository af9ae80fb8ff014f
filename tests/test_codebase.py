"""What a newcomer to the code reads first stays true: the core's index names every module,
and every module says what it holds."""

import ast
import re

from conftest import REPO

CORE = REPO / "macros" / "selfeval"


def test_each_package_index_names_every_module_and_subpackage_and_no_other():
    for init in sorted(CORE.rglob("__init__.py")):
        package = init.parent
        index = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        listed = set(re.findall(r"``([a-z_]+)``", index))
        modules = {p.stem for p in package.glob("*.py")} - {"__init__"}
        modules |= {p.parent.name for p in package.glob("*/__init__.py")}
        where = init.relative_to(REPO)
        assert modules - listed == set(), f"modules missing from {where}"
        assert listed - modules == set(), f"{where} names modules that do not exist"


def test_every_module_opens_with_what_it_holds():
    bare = [
        str(p.relative_to(REPO))
        for folder in ("macros", "scripts")
        for p in sorted((REPO / folder).rglob("*.py"))
        if ".venv" not in p.parts and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert bare == [], bare
