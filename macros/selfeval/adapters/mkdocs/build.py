"""Building one version of the site with MkDocs, into a folder of our choosing.

The project's ``mkdocs.yml`` gives the site's shape (name, nav, theme, extensions); this
module adds the tool's wiring with absolute paths (macros module, hooks, theme overrides,
which project and version to build), so the same tool builds any project folder.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml

# This adapter's own files: the macros module, the hooks and the theme overrides.
ADAPTER = Path(__file__).resolve().parent
MACROS_MODULE = str(ADAPTER / "macros")  # as mkdocs-macros names a module: its path without .py
HOOKS = ADAPTER / "hooks.py"
OVERRIDES = ADAPTER / "overrides"
# The repository the tool lives in (macros/selfeval/adapters/mkdocs/ in it).
TOOL = ADAPTER.parents[3]


def _plugins(raw) -> list:
    """The plugins list with the tool's macros plugin configured, other plugins kept."""
    out, seen = [], set()
    for entry in raw or ["search"]:
        name = entry if isinstance(entry, str) else next(iter(entry))
        options = {} if isinstance(entry, str) else dict(entry[name] or {})
        if name == "macros":
            options.update(module_name=MACROS_MODULE, on_error_fail=True, on_undefined="strict")
        out.append({name: options})
        seen.add(name)
    if "search" not in seen:
        out.insert(0, {"search": {}})
    if "macros" not in seen:
        out.append({"macros": {"module_name": MACROS_MODULE, "on_error_fail": True, "on_undefined": "strict"}})
    return out


def _hooks(root: Path, raw) -> list[str]:
    """The tool's hooks first, then the project's own (paths relative to its folder).

    A project's mkdocs.yml may name the tool's own hooks (for running ``mkdocs`` by hand in
    this repository), so they are not added twice.
    """
    ours = str(HOOKS)
    out = [ours]
    for entry in raw or []:
        if str(entry).replace("\\", "/").endswith(("adapters/mkdocs/hooks.py", "macros/hooks.py")):
            continue
        path = str((Path(root) / str(entry)).resolve())
        if path not in out:
            out.append(path)
    return out


def derived_config(
    root: Path,
    docs_dir: Path,
    site_dir: Path,
    version: str,
    strict: bool = False,
    prechecked: bool = True,
    leave_out: set | frozenset = frozenset(),
) -> dict:
    """The MkDocs configuration for one version of one project, as a plain dict.

    ``leave_out`` names pages (relative to ``docs_dir``) the navigation must not show: the
    public version's restricted pages. The internal version's navigation gains the
    redaction report.
    """
    from mkdocs.utils.yaml import yaml_load

    from selfeval.disclosure.audience import audience
    from selfeval.disclosure.redaction import REPORT_PAGE, public_nav

    root = Path(root).resolve()
    base_file = root / "mkdocs.yml" if (root / "mkdocs.yml").exists() else TOOL / "mkdocs.yml"
    with open(base_file, encoding="utf-8") as f:
        cfg = yaml_load(f) or {}
    theme = cfg.get("theme") or {"name": "material"}
    if isinstance(theme, str):
        theme = {"name": theme}
    theme["custom_dir"] = str(OVERRIDES)
    if cfg.get("nav") is not None:
        nav = public_nav(cfg["nav"], set(leave_out))
        if not audience(version).redacts:
            nav.append({"Redaction report": REPORT_PAGE})
        cfg["nav"] = nav
    extensions = list(cfg.get("markdown_extensions") or [])
    names = {e if isinstance(e, str) else next(iter(e)) for e in extensions}
    if "admonition" not in names:
        extensions.append("admonition")  # the internal version shows restricted blocks as admonitions
    cfg["markdown_extensions"] = extensions
    extra = dict(cfg.get("extra") or {})
    who = audience(version)
    extra["selfeval"] = {
        "root": str(root),
        "version": who.name,
        "strict": strict,
        "prechecked": prechecked,
        "banner": who.banner,
        "noindex": who.noindex,
        **_addresses(root, cfg),
    }
    cfg.update(
        docs_dir=str(Path(docs_dir).resolve()),
        site_dir=str(Path(site_dir).resolve()),
        theme=theme,
        plugins=_plugins(cfg.get("plugins")),
        hooks=_hooks(root, cfg.get("hooks")),
        extra=extra,
        strict=True,
        watch=[str(root / "data"), str(root / "evidence_register.yaml")],
    )
    return cfg


def _addresses(root: Path, cfg: dict) -> dict:
    """The council's addresses from data/project.yaml, for pages to show: its site_url replaces
    mkdocs.yml's, so one file holds the council's own details."""
    from selfeval.project.config import load_config
    from selfeval.problems import Problems

    config = load_config(root, Problems())
    if config is None:
        return {}
    if config.site_url:
        cfg["site_url"] = config.site_url
    return {"organisation": config.organisation, "contact_email": config.contact_email, "contact_url": config.contact_url}


def write_config(cfg: dict, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def source_date_epoch(root: Path, fallback) -> str:
    """The commit time of the project's HEAD, so two builds of one commit are identical."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=20, check=False
        )
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    import datetime as dt

    return str(int(dt.datetime.combine(fallback, dt.time(), dt.UTC).timestamp()))


def run_mkdocs_build(config_file: Path) -> None:
    """Build with MkDocs in this process; raises on any error or warning (strict)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file))
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def preload() -> None:
    """Import what every build needs: MkDocs, its theme and plugins, and the tool's hooks
    (a build's worker processes do this while the checks run). Only a head start: whatever
    fails to load here fails again in the build, which reports it as a problem (a failure
    here would break the worker pool)."""
    try:
        import material.plugins.search.plugin  # noqa: F401
        import mkdocs.commands.build  # noqa: F401
        import mkdocs_macros.plugin  # noqa: F401

        from selfeval.adapters.mkdocs import hooks  # noqa: F401
    except Exception:  # noqa: BLE001 - reported by the build itself
        pass
