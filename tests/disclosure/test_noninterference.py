"""Non-interference: the public version built from sources whose restricted inputs are
replaced must be byte-identical, whatever channel a restricted input might take."""

import re

from conftest import replace_in
from test_publication import all_text, project  # noqa: F401 - the fixture project with restricted passages

from selfeval.publish.build import main as build_main
from selfeval.publish.replaced import alternatives_for
from selfeval.checks import check_project
from selfeval.disclosure.noninterference import mutate_project

# A project's own MkDocs hook that leaks a restricted page's title through a channel the
# leak scan cannot read: a hash of it, in an HTML comment and in a file name.
LEAKY_HOOK = """
import hashlib
from pathlib import Path


def _secret(config):
    root = Path(config["extra"]["selfeval"]["root"])
    text = (root / "content/secret.md").read_text(encoding="utf-8")
    return hashlib.sha256(text.split("title:", 1)[1].split("\\n", 1)[0].encode()).hexdigest()[:12]


def on_post_page(output, page, config):
    if page.file.src_uri == "index.md" and CHANNEL == "comment":
        return output.replace("</body>", f"<!-- build {_secret(config)} --></body>")
    return output


def on_post_build(config):
    if CHANNEL == "file":
        (Path(config["site_dir"]) / f"build-{_secret(config)}.txt").write_text("x")
"""


def add_hook(root, channel):
    (root / "leaky_hook.py").write_text(f"CHANNEL = {channel!r}\n" + LEAKY_HOOK)
    text = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(text + "hooks:\n  - leaky_hook.py\n")


def test_replaced_sources_differ_exactly_in_restricted_input(project, tmp_path):  # noqa: F811
    report = check_project(project, lint=False)
    copy = tmp_path / "copy"
    mutate_project(project, report, copy, alternatives=alternatives_for(report))
    safety, replaced = (project / "content/safety.md").read_text(), (copy / "content/safety.md").read_text()
    for secret in ("Dr Quentin Placeholder of Fictional Lane", "zebra-crossing consortium", "marmalade review"):
        assert secret in safety and secret not in replaced
    # Everything outside the markers is as it was, line for line.
    for a, b in zip(safety.split("\n"), replaced.split("\n")):
        if "restricted" not in a and "::" not in a and a.strip() and not a.startswith(("The provider", "    An unfinished")):
            assert a == b
    assert "riverside placement team" not in (copy / "content/secret.md").read_text()
    assert "98765" not in (copy / "data/observations/core.csv").read_text()
    assert "carers_small,,2024/25,2025-01-31,3," not in (copy / "data/observations/core.csv").read_text()
    # Hidden table cells take the audit's alternative values: other counts, same totals.
    assert (copy / "data/tables/msp.csv").read_text() != (project / "data/tables/msp.csv").read_text()
    assert check_project(copy, lint=False).ok


def test_restricted_content_builds_and_passes_the_check(project, capsys):  # noqa: F811
    assert build_main(["--root", str(project), "--out", str(project / "site")]) == 0
    assert "non-interference" not in capsys.readouterr().err


def test_a_hashed_title_in_a_comment_fails_the_build_and_keeps_both_sites(project, capsys):  # noqa: F811
    out = project / "site"
    assert build_main(["--root", str(project), "--out", str(out)]) == 0
    before = {v: all_text(out / v) for v in ("internal", "public")}
    add_hook(project, "comment")
    replace_in(project / "content/index.md", "# ", "# Our ")  # a real change, so a rebuild would differ
    assert build_main(["--root", str(project), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if "non-interference" in line)
    assert line.startswith("content/secret.md:1: non-interference: public output index.html differs")
    assert "restricted page" in line and "Traceback" not in err
    assert "leak:" not in err  # the leak scan cannot see a hash: only this check does
    # Nothing was replaced: not the public site, and not the internal one either.
    assert {v: all_text(out / v) for v in ("internal", "public")} == before


def test_a_file_named_from_restricted_input_fails_the_build(project, capsys):  # noqa: F811
    add_hook(project, "file")
    out = project / "site"
    assert build_main(["--root", str(project), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert re.search(
        r"non-interference: public output build-[0-9a-f]{12}\.txt is only in the public output "
        r"built from the (real|replaced) sources",
        err,
    )
    assert not out.joinpath("public").exists() and not out.joinpath("internal").exists()
