"""The public tree is an allowlist: only files something public refers to, every page MkDocs
would render read as a page, no link into restricted content, no symbolic link out."""

import gzip
import os
import re
from pathlib import Path

import markdown
import pytest
from conftest import replace_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval.publish.build import main as build_main
from selfeval.cli import check as check_main
from selfeval.cli import redact as redact_main
from selfeval.checks import check_project
from selfeval.content.references import markdown_references

CANARIES = {
    "img/in-block.png": b"PNG canary-asset-inside-restricted-block",
    "img/from-secret.png": b"PNG canary-asset-from-restricted-page",
    "img/unused.png": b"PNG canary-asset-nobody-uses",
    "docs/minutes.pdf": b"%PDF canary-attachment-inside-restricted-span",
}
PUBLIC_FILES = {
    "img/public.png": b"PNG an image every reader may see",
    "img/raw.png": b"PNG an image placed with raw HTML",
    "css/extra.css": b"body { background: url('bg.png'); }\n@import \"more.css\";\n",
    "css/bg.png": b"PNG a background",
    "css/more.css": b"p { color: black; }\n",
}
SECRET_PAGE = """---
title: Casework review
restricted: personal-data
---

# Casework review

The canary-restricted-markdown-page describes one family's circumstances.

![Photo](img/from-secret.png)
"""


@pytest.fixture
def project(tiny):
    for src, data in {**CANARIES, **PUBLIC_FILES}.items():
        (tiny / "content" / src).parent.mkdir(parents=True, exist_ok=True)
        (tiny / "content" / src).write_bytes(data)
    replace_in(
        tiny / "content/safety.md",
        "# Safety\n",
        '# Safety\n\n::: restricted reason="personal-data"\n![Visit](img/in-block.png)\n:::\n\n'
        "The [[minutes](docs/minutes.pdf)]{.restricted} are filed.\n\n"
        '![Chart](img/public.png)\n\n<img src="../img/raw.png" alt="Raw">\n',
    )
    (tiny / "content/secret.markdown").write_text(SECRET_PAGE)
    replace_in(tiny / "mkdocs.yml", "  - Safety: safety.md\n", "  - Safety: safety.md\n  - Casework: secret.markdown\n")
    (tiny / "mkdocs.yml").write_text((tiny / "mkdocs.yml").read_text() + "extra_css:\n  - css/extra.css\n")
    return tiny


def every_file(folder: Path):
    """(path, bytes) for every file under ``folder``, gzip opened, found without the tool."""
    for directory, _, names in os.walk(folder):
        for name in names:
            path = Path(directory) / name
            data = path.read_bytes()
            yield path, gzip.decompress(data) if name.endswith(".gz") else data


def assert_clean(folder: Path):
    for path, data in every_file(folder):
        for src, canary in CANARIES.items():
            words = canary.split(b" ", 1)[1]
            assert words not in data, f"{words!r} in {path}"
            assert Path(src).name.encode() not in data, f"{Path(src).name} named in {path}"
        assert b"canary-restricted-markdown-page" not in data, path
        assert not path.is_symlink()


def test_public_tree_carries_only_what_public_pages_refer_to(project, tmp_path):
    out = tmp_path / "site"
    assert build_main(["--root", str(project), "--out", str(out)]) == 0
    public, internal = out / "public", out / "internal"
    assert_clean(public)
    for src in PUBLIC_FILES:
        assert (public / src).read_bytes() == PUBLIC_FILES[src], src
    for src in CANARIES:
        assert not (public / src).exists() and (internal / src).exists(), src
    assert not (public / "secret").exists() and (internal / "secret/index.html").exists()
    # The public page still shows its own image and the public stylesheet.
    html = (public / "safety/index.html").read_text(encoding="utf-8")
    assert 'src="../img/public.png"' in html and "css/extra.css" in (public / "index.html").read_text(encoding="utf-8")

    redacted = tmp_path / "redacted"
    assert redact_main(["--root", str(project), "--out", str(redacted)]) == 0
    assert_clean(redacted / "content")
    assert sorted(p.relative_to(redacted / "content").as_posix() for p, _ in every_file(redacted / "content")) == sorted(
        ["improvement.md", "index.md", "safety.md", *PUBLIC_FILES]
    )
    report = (redacted / "redaction-report.csv").read_text()
    assert (
        "content/img/unused.png,,file,not referenced,not referenced by any public page: left out of the public version" in report
    )
    assert "content/img/in-block.png,,file,restricted,referred to only by restricted content" in report
    assert "content/img/from-secret.png,,file,restricted," in report
    assert "content/secret.markdown,3,page,personal-data,whole page 'Casework review' left out" in report


def test_every_markdown_name_mkdocs_renders_is_a_page(tiny):
    from mkdocs.utils import markdown_extensions

    (tiny / "content/img").mkdir()
    (tiny / "content/img/from-secret.png").write_bytes(b"png")  # the image the page shows
    for ext in markdown_extensions:
        (tiny / f"content/secret{ext.replace('.', '-')}{ext}").write_text(SECRET_PAGE)
    report = check_project(tiny)
    assert report.ok, [str(p) for p in report.problems.errors]
    assert {f"secret{ext.replace('.', '-')}{ext}" for ext in markdown_extensions} <= report.plan.restricted_pages
    # Hidden files and folders and templates/ are not pages for MkDocs either.
    (tiny / "content/.drafts").mkdir()
    (tiny / "content/.drafts/x.md").write_text("# Draft\n")
    (tiny / "content/templates").mkdir()
    (tiny / "content/templates/t.md").write_text("# Template\n")
    assert not {"x.md", ".drafts/x.md", "templates/t.md"} & set(check_project(tiny).plan.pages)


def test_a_markdown_name_in_capitals_is_an_error(tiny, capsys):
    (tiny / "content/secret.MD").write_text(SECRET_PAGE)
    assert check_main(["--root", str(tiny)]) == 1
    err = capsys.readouterr().err
    assert "content/secret.MD: 'secret.MD' is not read as a page: MkDocs renders only lower-case Markdown names" in err
    assert "rename it to secret.md" in err


LINKING_PAGE = """# Links

1. [a](casework/index.md)
2. [b](casework/)
3. [c](/casework/)
4. [d](casework/#what-happened)
5. [e](casework/?q=1)
6. [f](%63asework/index.md)
7. [g]

[g]: casework/
<a href="casework/index.html">h</a>
11. [i](notes/README.md)
12. [j](notes/)
13. [k](casework "title")

```markdown
[an example, not a link](casework/)
```

17. The `[inline code](casework/)` is shown, not followed.
18. [public](safety.md) and [outside](https://example.org/casework/).
"""


def test_links_to_a_restricted_page_in_every_form_are_errors(tiny, capsys):
    for folder in ("casework", "notes"):
        (tiny / "content" / folder).mkdir()
    (tiny / "content/casework/index.md").write_text(SECRET_PAGE)
    (tiny / "content/notes/README.md").write_text(SECRET_PAGE)
    (tiny / "content/links.md").write_text(LINKING_PAGE)
    (tiny / "content/part").mkdir()
    (tiny / "content/part/deep.markdown").write_text(
        "# Deep\n\nSee [the review](../casework/).\n\nAnd <a href='/casework/'>this</a>.\n"
    )
    assert check_main(["--root", str(tiny)]) == 1
    err = capsys.readouterr().err
    reported = sorted(int(n) for n in re.findall(r"content/links\.md:(\d+): links to '[^']+', a restricted page", err))
    assert reported == [3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15], err  # the definition (11), not its use (9)
    assert (
        "content/links.md:3: links to 'casework/index.md', a restricted page that is not in the public version — "
        "remove the link, or put it inside a restricted block or span" in err
    )
    assert "content/links.md:13: links to 'notes/README.md', a restricted page" in err
    assert "content/part/deep.markdown:3: links to 'casework/index.md', a restricted page" in err
    assert "content/part/deep.markdown:5: links to 'casework/index.md', a restricted page" in err


def test_the_links_found_are_the_links_python_markdown_makes():
    """Every href/src Python-Markdown renders from the page is among the references found."""
    html = markdown.markdown(LINKING_PAGE, extensions=["fenced_code"])
    rendered = set(re.findall(r'(?:href|src)="([^"]+)"', html))
    found = {r.target for r in markdown_references(LINKING_PAGE)}
    assert rendered - {"https://example.org/casework/"} <= {t.replace("&amp;", "&") for t in found}
    assert "casework/" in rendered and not any("example, not" in t for t in found)


def test_symbolic_links_out_of_the_project_are_errors_and_never_written_through(tiny, tmp_path, capsys):
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "page.md").write_text("# Borrowed\n\nText from elsewhere [secret]{.restricted}.\n")
    (outside / "rows.csv").write_text("a,b\n1,2\n")
    (outside / "folder/other.md").write_text("# Other\n")
    (tiny / "content/borrowed.md").symlink_to(outside / "page.md")
    (tiny / "data/tables/rows.csv").symlink_to(outside / "rows.csv")
    (tiny / "content/shared").symlink_to(outside / "folder", target_is_directory=True)
    before = {p: p.read_bytes() for p, _ in every_file(outside)}
    assert check_main(["--root", str(tiny)]) == 1
    err = capsys.readouterr().err
    assert (
        f"content/borrowed.md: is a symbolic link to {outside / 'page.md'} outside the project — "
        "replace it with a copy of the file" in err
    )
    assert f"data/tables/rows.csv: is a symbolic link to {outside / 'rows.csv'} outside the project" in err
    assert (
        f"content/shared: is a symbolic link to {outside / 'folder'} outside the project — "
        "replace it with a copy of the folder" in err
    )
    assert build_main(["--root", str(tiny), "--out", str(tmp_path / "site")]) == 1
    assert redact_main(["--root", str(tiny), "--out", str(tmp_path / "redacted")]) == 1
    assert {p: p.read_bytes() for p, _ in every_file(outside)} == before


def test_links_inside_the_project_are_followed_and_written_as_files(tiny, tmp_path):
    (tiny / "shared").mkdir()
    (tiny / "shared/note.md").write_text("# Note\n\nA [named person]{.restricted} wrote this.\n")
    (tiny / "content/note.md").symlink_to(Path("../shared/note.md"))
    # An earlier public source left as a link elsewhere is replaced, not written through.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "redacted"
    out.mkdir()
    (out / "content").symlink_to(elsewhere, target_is_directory=True)
    (out / "redaction-report.csv").symlink_to(elsewhere / "report.csv")
    assert redact_main(["--root", str(tiny), "--out", str(out)]) == 0
    note = out / "content/note.md"
    assert not note.is_symlink() and not (out / "content").is_symlink()
    assert "A \\[REDACTED\\] wrote this." in note.read_text()
    assert "named person" in (tiny / "shared/note.md").read_text()
    assert list(elsewhere.iterdir()) == [] and not (out / "redaction-report.csv").is_symlink()


def test_a_folder_linked_inside_the_project_is_read_as_mkdocs_reads_it(tiny, capsys):
    (tiny / "content/casework").mkdir()
    (tiny / "content/casework/review.md").write_text(SECRET_PAGE)
    (tiny / "content/mirror").symlink_to(Path("casework"), target_is_directory=True)
    (tiny / "content/casework/loop").symlink_to(Path(".."), target_is_directory=True)  # never walked round
    replace_in(tiny / "content/index.md", "# Summary\n", "# Summary\n\nSee [the review](mirror/review/).\n")
    report = check_project(tiny)
    assert {"casework/review.md", "mirror/review.md"} <= report.plan.restricted_pages
    assert "content/index.md:7: links to 'mirror/review.md', a restricted page" in "\n".join(map(str, report.problems))


def test_a_link_that_could_only_reach_a_restricted_file_is_an_error(tiny, capsys):
    # a/b.md is served at a/b/, so a reader's browser takes photo.png to a/b/photo.png: a file
    # only the restricted page beside it shows, which the public version leaves out.
    (tiny / "content/a/b").mkdir(parents=True)
    (tiny / "content/a/b.md").write_text("# B\n\n![Photo](photo.png)\n")
    (tiny / "content/a/b/secret.md").write_text(SECRET_PAGE.replace("img/from-secret.png", "photo.png"))
    (tiny / "content/a/b/photo.png").write_bytes(b"PNG")
    assert check_main(["--root", str(tiny)]) == 1
    assert (
        "content/a/b.md:3: links to 'a/b/photo.png', a file that only restricted content uses, so it is not "
        "in the public version — remove the link, or put it inside a restricted block or span"
    ) in capsys.readouterr().err


def test_files_named_in_mkdocs_yml_are_public_and_code_examples_are_not_references(tiny):
    for name in ("robots.txt", "logo.svg", "example.png", "js/extra.js"):
        (tiny / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (tiny / "content" / name).write_text("x")
    replace_in(tiny / "mkdocs.yml", "  font: false\n", "  font: false\n  logo: logo.svg\n")
    (tiny / "mkdocs.yml").write_text(
        (tiny / "mkdocs.yml").read_text() + "extra_javascript:\n  - path: js/extra.js\nextra:\n  public_files: [robots.txt]\n"
    )
    replace_in(tiny / "content/index.md", "# Summary\n", "# Summary\n\n```markdown\n![An example](example.png)\n```\n")
    public = check_project(tiny).plan.public_assets
    assert {"robots.txt", "logo.svg", "js/extra.js"} <= set(public) and "example.png" not in public


# Ways a page can refer to a file, each taking the file's name.
FORMS = {
    "image": lambda n: [f"![A picture]({n})"],
    "link": lambda n: [f'The [attachment]({n} "its title") is here.'],
    "encoded": lambda n: [f"![Encoded](<{n.replace('-', '%2D')}>)"],
    "definition": lambda n: [f"See [the file][ref-{n}].", "", f"[ref-{n}]: {n}#page=2"],
    "html": lambda n: [f'<img src="{n}" alt="Raw">'],
    "srcset": lambda n: [f'<img srcset="{n} 2x" alt="Set">'],
    "style": lambda n: [f"<span style=\"background: url('{n}')\">Styled</span>"],
}
PLACES = ("public", "block", "admonition block", "list block", "span", "restricted page")


def placed(form, name, place):
    lines = FORMS[form](name)
    if place == "public":
        return lines + [""]
    if place == "span":
        return [f"A sentence with [[a link]({name})]{{.restricted}} in it.", ""]
    body = ["::: restricted", *lines, ":::"]
    if place == "admonition block":
        return ['!!! note "Note"', "    Public words.", "", *["    " + x if x else "" for x in body], ""]
    if place == "list block":
        return ["- An item", "", *["    " + x if x else "" for x in body], ""]
    return body + [""]


@st.composite
def placements(draw):
    count = draw(st.integers(1, 8))
    return [(draw(st.sampled_from(sorted(FORMS))), f"asset-{i}.png", draw(st.sampled_from(PLACES))) for i in range(count)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(placements())
def test_a_file_is_public_exactly_when_a_public_passage_refers_to_it(tiny, chosen):
    public_lines, secret_lines = ["# Files", ""], ["---", "restricted: true", "---", "", "# Secret", ""]
    for form, name, place in chosen:
        (tiny / "content" / name).write_bytes(b"canary " + name.encode())
        lines = placed(form, name, "block" if place == "restricted page" else place)
        (secret_lines if place == "restricted page" else public_lines).extend(lines)
    (tiny / "content/files.md").write_text("\n".join(public_lines))
    (tiny / "content/secret.md").write_text("\n".join(secret_lines).replace("::: restricted\n", "").replace("\n:::", ""))
    report = check_project(tiny)
    assert report.ok, [str(p) for p in report.problems.errors]
    expected = {name for _, name, place in chosen if place == "public"}
    assert {src for src in report.plan.public_assets if src.startswith("asset-")} == expected
    left_out = {e.page for e in report.plan.entries if e.kind == "file" and e.reason == "restricted"}
    assert left_out == {f"content/{name}" for _, name, place in chosen if place != "public"}
    for path in (tiny / "content").glob("asset-*.png"):
        path.unlink()
