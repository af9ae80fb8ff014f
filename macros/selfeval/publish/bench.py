"""Benchmark the build: time and memory against a plain MkDocs build, at 1x, 10x and 20x content.

Usage: selfeval bench [--root DIR] [--scales 1,10,20] [--repeat N] [--report PATH]

For each scale, a synthetic project is made in a temporary folder by replicating the
chapters, metrics, observations and tables with renamed ids (chart and evidence calls are
kept as they are, so the copies draw the same charts again). Then, each in its own process:

- ``check``: selfeval check on the project;
- ``both, first``: selfeval build — the checks, then the internal and public versions —
  with every cache turned off (SELFEVAL_CACHE empty): each chart is specified and drawn
  wherever it appears and every output file is scanned, as on a fresh clone in CI;
- ``one, first``: the same for the public version alone (selfeval build --version public);
- ``both, rebuild``: selfeval build again with the caches an earlier, untimed build of
  the same project filled, as when an officer builds again after an edit;
- ``pdf``: selfeval build --pdf (make site: both sites and both PDFs) with every cache
  off, its PDFs' own time (from when they start, partly beside the non-interference
  build) reported beside ``one, first``; ``pdf_again`` the same with the caches
  of an earlier build, when the PDFs come from the cache; ``pdf_edited`` the same after
  one sentence of one chapter is reworded (what an officer's next ``make site`` does);
- ``plain``: a plain mkdocs-material build (material theme and search only) of the same
  pages, whose macros were rendered to Markdown beforehand (not timed).

Wall time is measured around each process. Peak memory is the largest resident set of any
one process (getrusage RUSAGE_CHILDREN of a measuring process) and, on Linux, the peak of
the whole process tree's resident memory sampled every 20 ms (the two versions build in
parallel). Ratios compare runs from this one invocation; with --repeat N each figure is the fastest
of N interleaved runs. Not a test: no thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml
from selfeval.adapters.mkdocs.plain import plain_config, rendered_pages
from selfeval.render.macros import MACROS

PY = sys.executable
# The tool's commands as a build runs them: ``python -m selfeval COMMAND``.
SELFEVAL = [PY, "-m", "selfeval"]
BLOCK = re.compile(r"\{\{.*?\}\}", re.S)
QUOTED = re.compile(r"""(["'])([A-Za-z0-9_.-]+)\1""")
FRAGMENT = re.compile(r"(\]\([^)#\s]*#)([A-Za-z0-9_-]+)\)")
LINK = re.compile(r"(\]\()([^)#\s]+\.md)([#)\s])")


# Measuring one process ------------------------------------------------------------------


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and its descendants, from /proc (0 where unavailable)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure_here(cmd: list[str]) -> dict:
    """Run ``cmd`` as a child of this process; its wall time, exit status and peak memory."""
    # As make runs them: compiled modules kept apart from the sources (make sets
    # PYTHONPYCACHEPREFIX under .cache/; run directly, the bench keeps its own in a
    # temporary folder), so no process times compiling the tool's modules again.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="")
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "selfeval-bench-pycache"))
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return {"wall": wall, "rc": proc.returncode, "maxrss_kb": maxrss, "tree_kb": peak[0], "err": err[-2000:]}


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict:
    """Measure ``cmd`` from a fresh process, so RUSAGE_CHILDREN covers that command alone."""
    out = subprocess.run(
        [PY, "-m", "selfeval.publish.bench", "--measure", "--", *cmd],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, **(env or {})),
    )
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{result['err']}")
    return result


# Making a larger project ------------------------------------------------------------------


def _ids(root: Path) -> set[str]:
    """Metric and table ids of a project, read from its data files."""
    ids = set()
    for path in sorted((root / "data/metrics").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        ids.update(str(m["id"]) for m in data.get("metrics") or [] if isinstance(m, dict) and "id" in m)
    ids.update(p.stem for p in (root / "data/tables").glob("*.csv"))
    return ids


def _renaming_macros() -> set[str]:
    return {name for name, macro in MACROS.items() if set(macro.references.values()) & {"metric", "table"}}


def rename_in_page(text: str, ids: set[str], suffix: str) -> str:
    """A page's text with the metric and table ids its macros and figure links cite renamed."""
    macros = _renaming_macros()

    def block(m):
        call = m.group(0)
        name = re.match(r"\{\{-?\s*(\w+)", call)
        if not name or name.group(1) not in macros:
            return call
        return QUOTED.sub(lambda q: f"{q[1]}{q[2]}{suffix}{q[1]}" if q[2] in ids else q[0], call)

    text = BLOCK.sub(block, text)
    return FRAGMENT.sub(lambda f: f"{f[1]}{f[2]}{suffix})" if f[2] in ids else f[0], text)


def _nav_copy(entries, prefix: str, content: Path):
    """The nav with every page path prefixed; pages not in content/ (generated) dropped."""
    out = []
    for entry in entries or []:
        if isinstance(entry, str):
            if (content / entry).is_file():
                out.append(prefix + entry)
            continue
        ((title, value),) = entry.items()
        if isinstance(value, list):
            inner = _nav_copy(value, prefix, content)
            if inner:
                out.append({title: inner})
        elif isinstance(value, str) and (content / value).is_file():
            out.append({title: prefix + value})
    return out


def _rename_ids(text: str, ids: set, suffix: str) -> str:
    return re.sub(r"\b[a-z][a-z0-9_]*\b", lambda m: m[0] + suffix if m[0] in ids else m[0], text)


def _rename_table_links(text: str, ids: set, suffix: str) -> str:
    """A table's YAML with the metric ids under ``metrics:`` and in ``denominator:`` renamed."""
    out, inside = [], False
    for line in text.split("\n"):
        if re.match(r"^\S", line):
            inside = line.startswith("metrics:")
        if inside and line.startswith(" ") and ":" in line:
            key, _, value = line.rpartition(":")
            line = f"{key}:{_rename_ids(value, ids, suffix)}"
        elif line.startswith("denominator:"):
            line = _rename_ids(line, ids - {"denominator", "metric", "period"}, suffix)
        out.append(line)
    return "\n".join(out)


def audit_seconds(root: Path) -> dict:
    """Time the disclosure audit on its own, in a fresh process: loading the data, then deciding."""
    code = (
        "import json, sys, time; from selfeval.project.model import load_project; "
        "from selfeval.disclosure.audit import decide; from selfeval.problems import Problems; "
        "t = time.perf_counter(); import scipy.optimize; s = time.perf_counter() - t; "
        "t = time.perf_counter(); p = load_project(sys.argv[1]); l = time.perf_counter() - t; "
        "t = time.perf_counter(); d = decide(p, Problems()); a = time.perf_counter() - t; "
        "print(json.dumps({'scipy': s, 'load': l, 'audit': a, 'hidden': len(d.hidden)}))"
    )
    done = subprocess.run([PY, "-c", code, str(root)], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def scaled_project(src: Path, dest: Path, scale: int) -> Path:
    """A copy of the project at ``src`` with its content and data replicated ``scale`` times."""
    for name in ("content", "data"):
        shutil.copytree(src / name, dest / name)
    for name in ("evidence_register.yaml", "mkdocs.yml"):
        if (src / name).exists():
            shutil.copy2(src / name, dest / name)
    content = src / "content"
    pages = [p for p in sorted(content.rglob("*.md"))]
    ids = _ids(src)
    cfg = yaml.safe_load((dest / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = cfg.get("nav") or [p.relative_to(content).as_posix() for p in pages]
    for i in range(1, scale):
        suffix, folder = f"_c{i}", f"copy-{i}"
        for page in pages:
            rel = page.relative_to(content)
            text = rename_in_page(page.read_text(encoding="utf-8"), ids, suffix)
            # A link to a generated page (not in content/) leaves the copy's folder.
            depth = "../"
            text = LINK.sub(
                lambda m, page=page, depth=depth: (
                    m[1] + (m[2] if (page.parent / m[2]).resolve().is_file() else depth + m[2]) + m[3]
                ),
                text,
            )
            out = dest / "content" / folder / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        for path in sorted((src / "data/metrics").glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            text = re.sub(
                r"^(\s*-?\s*id:\s*)([A-Za-z0-9_]+)\s*$",
                lambda m, suffix=suffix: f"{m[1]}{m[2]}{suffix}" if m[2] in ids else m[0],
                text,
                flags=re.M,
            )
            text = re.sub(
                r"^(\s*(?:part_of|denominator|numerator):\s*)(.*)$",
                lambda m, suffix=suffix: m[1] + _rename_ids(m[2], ids, suffix),
                text,
                flags=re.M,
            )
            (dest / "data/metrics" / f"{path.stem}{suffix}.yaml").write_text(text, encoding="utf-8")
        for path in sorted((src / "data/observations").glob("*.csv")):
            lines = path.read_text(encoding="utf-8").split("\n")
            renamed = [lines[0]] + [
                re.sub(r"^([^,]+)", lambda m, suffix=suffix: m[1] + suffix if m[1] in ids else m[1], line) for line in lines[1:]
            ]
            (dest / "data/observations" / f"{path.stem}{suffix}.csv").write_text("\n".join(renamed), encoding="utf-8")
        for path in sorted((src / "data/tables").iterdir()):
            if path.suffix in (".yaml", ".yml"):
                # A copied table links to the copied metrics, so each copy is audited on its own.
                text = _rename_table_links(path.read_text(encoding="utf-8"), ids, suffix)
                (dest / "data/tables" / f"{path.stem}{suffix}{path.suffix}").write_text(text, encoding="utf-8")
            elif path.is_file():
                shutil.copy2(path, dest / "data/tables" / f"{path.stem}{suffix}{path.suffix}")
        cfg.setdefault("nav", list(nav))
        cfg["nav"].append({f"Copy {i}": _nav_copy(nav, folder + "/", content)})
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


# The run ------------------------------------------------------------------------------


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def _best(runs: list[dict]) -> dict:
    """The fastest of repeated runs (the least disturbed by other work on the machine)."""
    return min(runs, key=lambda r: r["wall"])


_SENTENCE = re.compile(r"^[A-Z][^<>|#\n]*\.$", re.M)


def edit_a_sentence(root: Path, mark: str) -> Path:
    """What an officer does between two builds: one sentence of one chapter reworded
    (here: a few words added at the end of the first line of prose that ends a sentence)."""
    for page in sorted((root / "content").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        found = _SENTENCE.search(text)
        if found:
            edited = found.group(0)[:-1] + f", as reworded for the benchmark ({mark})."
            page.write_text(text[: found.start()] + edited + text[found.end() :], encoding="utf-8")
            return page
    raise SystemExit(f"bench: no sentence to edit in {root / 'content'}")


def bench_scale(src: Path, scale: int, work: Path, repeat: int = 1) -> dict:
    root = scaled_project(src, work / "project", scale)
    out = work / "out"
    docs = rendered_pages(root, work)
    config = plain_config(root, docs, work / "plain-site", work / "plain.yml")
    build = [*SELFEVAL, "build", "--root", str(root), "--out"]
    no_cache, cache = {"SELFEVAL_CACHE": ""}, {"SELFEVAL_CACHE": str(work / "cache")}
    commands = {
        "check": ([*SELFEVAL, "check", "--root", str(root)], None),
        "both": ([*build, str(out)], no_cache),
        "one": ([*build, str(work / "out-one"), "--version", "public"], no_cache),
        "rebuild": ([*build, str(work / "out-again")], cache),
        "pdf": ([*build, str(work / "out-pdf"), "--pdf"], no_cache),
        "pdf_again": ([*build, str(work / "out-pdf-again"), "--pdf"], cache),
        "pdf_edited": ([*build, str(work / "out-pdf-edited"), "--pdf"], cache),
        "plain": ([PY, "-m", "mkdocs", "build", "-q", "-f", str(config)], None),
    }
    measure(*commands["pdf_again"])  # fills the caches the timed rebuilds use (the PDFs' too)
    runs: dict[str, list[dict]] = {name: [] for name in commands}
    for i in range(repeat):  # interleaved, so a busy moment does not favour one kind
        for name, (cmd, env) in commands.items():
            if name == "pdf_edited":
                edit_a_sentence(root, f"run {i + 1}")
            steps = work / f"steps-{name}-{i}.json"
            if cmd[: len(SELFEVAL) + 1] == [*SELFEVAL, "build"]:
                cmd = [*cmd, "--timings", str(steps)]
            run = measure(cmd, env)
            run["steps"] = json.loads(steps.read_text()) if steps.exists() else {}
            runs[name].append(run)
    row = {"scale": scale, **{name: _best(r) for name, r in runs.items()}}
    row["audit"] = audit_seconds(root)
    row["pages"] = count_pages(out / "internal")
    row["plain_pages"] = count_pages(work / "plain-site")
    return row


def _mb(kb: int) -> str:
    return f"{kb / 1024:,.0f} MB"


def _step(run: dict, name: str) -> str:
    """How long one step of a build took, from the build's own --timings."""
    value = run.get("steps", {}).get(name)
    return "–" if value is None else f"{value:.1f} s"


def _ratio(run: dict, name: str, other: float) -> str:
    value = run.get("steps", {}).get(name)
    return "–" if value is None or not other else f"{value / other:.2f}"


def report(rows: list[dict], command: str, repeat: int = 1) -> str:
    charts = "yes" if "chart" in MACROS else "no (no chart macro in this build)"
    lines = [
        "# Build benchmark",
        "",
        f"Command: `{command}`  ",
        f"Machine: {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, load average "
        f"{os.getloadavg()[0]:.1f} at the end. "
        + ("One run per figure; " if repeat == 1 else f"Fastest of {repeat} interleaved runs per figure; ")
        + f"charts replicated: {charts}.",
        "",
        "Ours = selfeval build (the checks, then the site). First = every cache off, every "
        "chart drawn and every file scanned; rebuild = the same build again with the caches of "
        "an earlier one (nothing changed). Plain = `mkdocs build` with only material and search, "
        "of the same pages with their figures already substituted. Non-interference = the "
        "second public build from replaced sources and the comparison, within 'both' (its "
        "charts come from the cache the first public build filled, even when caches are off "
        "for the run: it shares that build's drawings, never an earlier run's). Disclosure "
        "audit = the time selfeval.disclosure.audit.decide takes, in a process of its own, inside every "
        "check and build (loading SciPy, once per process, counted apart). Both PDFs = the PDFs' "
        "own time in selfeval build --pdf (what make site runs), from when they start, part "
        "of it beside the non-interference build they print alongside, side by side with one public "
        "site build: first with every cache off, unchanged with the caches of an earlier "
        "build of the same project (the PDFs are then copied, not printed). Make site again = the same build, nothing changed, with those caches. After an edit = "
        "make site again once one sentence of one chapter is reworded, with the caches of the "
        "build before (charts drawn then are reused; both PDFs are printed again, from where "
        "their links landed last time).",
        "",
        "| Content | Pages per site | check | Ours, both, first | Ours, one, first | Ours, both, rebuild | "
        "Plain | Ratio one first/plain | Ratio both first/plain | Ratio both rebuild/plain | "
        "Peak memory: ours both (largest process / tree) | Plain | Non-interference, first / rebuild | "
        "Disclosure audit (hidden values) | Both PDFs, first / unchanged | Ratio both PDFs first/one first | "
        "Site and PDFs, first (make site) | Ratio make site/plain | "
        "Site and PDFs, unchanged (make site again) | Ratio make site again/plain | "
        "Site and PDFs after an edit (make site) | Ratio make site after an edit/plain |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        plain = r["plain"]["wall"]
        lines.append(
            f"| {r['scale']}x | {r['pages']} | {r['check']['wall']:.1f} s | {r['both']['wall']:.1f} s | "
            f"{r['one']['wall']:.1f} s | {r['rebuild']['wall']:.1f} s | {plain:.1f} s | "
            f"{r['one']['wall'] / plain:.2f} | {r['both']['wall'] / plain:.2f} | {r['rebuild']['wall'] / plain:.2f} | "
            f"{_mb(r['both']['maxrss_kb'])} / {_mb(r['both']['tree_kb'])} | {_mb(r['plain']['maxrss_kb'])} | "
            f"{_step(r['both'], 'non_interference')} / {_step(r['rebuild'], 'non_interference')} | "
            f"{r['audit']['audit']:.2f} s, {r['audit']['hidden']} hidden (+ {r['audit']['scipy']:.1f} s loading SciPy) | "
            f"{_step(r['pdf'], 'pdf')} / {_step(r['pdf_again'], 'pdf')} | {_ratio(r['pdf'], 'pdf', r['one']['wall'])} | "
            f"{r['pdf']['wall']:.1f} s | {r['pdf']['wall'] / plain:.2f} | "
            f"{r['pdf_again']['wall']:.1f} s | {r['pdf_again']['wall'] / plain:.2f} | "
            f"{r['pdf_edited']['wall']:.1f} s (PDFs {_step(r['pdf_edited'], 'pdf')}) | "
            f"{r['pdf_edited']['wall'] / plain:.2f} |"
        )
    if len(rows) > 1:
        base = rows[0]
        lines += ["", "Growth against the first row (1.0 = linear in pages):", ""]
        for r in rows[1:]:
            pages = r["pages"] / base["pages"]
            lines.append(
                f"- {r['scale']}x: {pages:.1f} times the pages; ours both first "
                f"{r['both']['wall'] / base['both']['wall'] / pages:.2f}, "
                f"rebuild {r['rebuild']['wall'] / base['rebuild']['wall'] / pages:.2f}, "
                f"plain {r['plain']['wall'] / base['plain']['wall'] / pages:.2f}, "
                f"check {r['check']['wall'] / base['check']['wall'] / pages:.2f} (time per page, relative)"
            )
    return "\n".join(lines) + "\n"


def main(argv=None, default_root: Path | None = None) -> int:
    """``selfeval bench``: the benchmark report (``--measure -- CMD`` measures one command)."""
    from selfeval.cli import root_argument

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["--measure", "--"]:
        print(json.dumps(measure_here(argv[2:])))
        return 0
    parser = argparse.ArgumentParser(prog="selfeval bench", description=__doc__.splitlines()[0])
    root_argument(parser, default_root)
    parser.add_argument("--scales", default="1,10,20", help="content multiples to run (default: 1,10,20)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each build; the fastest is reported (default: 1)")
    parser.add_argument("--report", default=None, help="where to write the report (default: ROOT/site/bench.md)")
    args = parser.parse_args(argv)
    src = Path(args.root).resolve()
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    rows = []
    for scale in scales:
        with tempfile.TemporaryDirectory(prefix=f"bench-{scale}x-") as tmp:
            print(f"bench: {scale}x …", file=sys.stderr, flush=True)
            rows.append(bench_scale(src, scale, Path(tmp), max(1, args.repeat)))
    command = (
        "selfeval bench"
        + (f" --scales {args.scales}" if args.scales != "1,10,20" else "")
        + (f" --repeat {args.repeat}" if args.repeat > 1 else "")
    )
    text = report(rows, command, max(1, args.repeat))
    path = Path(args.report) if args.report else src / "site" / "bench.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(text)
    print(f"bench: report written to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
