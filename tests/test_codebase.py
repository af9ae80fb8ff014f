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


SITE_GENERATOR = ("mkdocs", "material", "mkdocs_macros")


def test_only_the_mkdocs_adapter_imports_mkdocs_material_or_mkdocs_macros():
    """Moving to another site generator means rewriting one folder: every import of MkDocs,
    its theme or its macros plugin, at any depth in any function, is in adapters/mkdocs/."""
    adapter = CORE / "adapters" / "mkdocs"
    found = []
    for folder in ("macros", "scripts"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if adapter in path.parents:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                else:
                    continue
                found += [f"{path.relative_to(REPO)}:{node.lineno}: {n}" for n in names if n.split(".")[0] in SITE_GENERATOR]
    assert found == [], found
