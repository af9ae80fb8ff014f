"""The benchmark's yardstick: the same pages built by plain MkDocs with Material.

The project's pages are built once with the tool's macros and a hook that writes each
page's Markdown after the macros ran; ``plain_config`` then describes a build of those
pages with only Material and its search plugin, the project's nav, extensions and CSS
kept, and nothing of the tool's (no hooks, no macros, no theme overrides).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from selfeval.adapters.mkdocs.build import derived_config, write_config

DUMP_HOOK = '''
"""Bench only: write each page's Markdown after the macros have run."""
from pathlib import Path
from mkdocs.plugins import event_priority

DUMP = Path(__file__).resolve().parent / "rendered"


@event_priority(-100)
def on_page_markdown(markdown, page, config, files):
    out = DUMP / page.file.src_path
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown, encoding="utf-8")
    return markdown
'''


def rendered_pages(root: Path, work: Path) -> Path:
    """The project's pages (generated ones too) as plain Markdown, after the macros ran."""
    hook_dir = work / "dump"
    hook_dir.mkdir(parents=True)
    (hook_dir / "dump_hook.py").write_text(DUMP_HOOK, encoding="utf-8")
    cfg = derived_config(root, root / "content", work / "dump-site", "internal")
    cfg["hooks"].append(str(hook_dir / "dump_hook.py"))
    config_file = write_config(cfg, work / "dump.yml")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file)],
        check=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    rendered = hook_dir / "rendered"
    for asset in (root / "content").rglob("*"):
        if asset.is_file() and asset.suffix != ".md":
            target = rendered / asset.relative_to(root / "content")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(asset, target)
    return rendered


def plain_config(root: Path, docs: Path, site: Path, path: Path) -> Path:
    """mkdocs.yml for a plain build: the project's nav, extensions and CSS; material and search only."""
    from mkdocs.utils.yaml import yaml_load

    with open(root / "mkdocs.yml", encoding="utf-8") as f:
        cfg = yaml_load(f) or {}
    theme = cfg.get("theme") or {"name": "material"}
    theme = {"name": "material"} if isinstance(theme, str) else {k: v for k, v in theme.items() if k != "custom_dir"}
    if not _material_has_language(theme.get("language")):
        theme.pop("language", None)  # the project's own (en-GB) lives in its custom_dir
    cfg.update(docs_dir=str(docs), site_dir=str(site), theme=theme, plugins=["search"], strict=False)
    for key in ("hooks", "watch"):
        cfg.pop(key, None)
    path.write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _material_has_language(language) -> bool:
    if not language:
        return True
    import material

    return (Path(material.__file__).parent / "templates" / "partials" / "languages" / f"{language}.html").is_file()
