"""The non-interference check, run within a build: the public version built again from
sources whose restricted inputs are replaced, and compared byte for byte with the real one.

The replacing and comparing are :mod:`selfeval.disclosure.noninterference`'s; here the copy
is built (in a worker process, beside the PDFs the main process prints), a difference is
traced to the input that caused it, and the public print document, from which the public
PDF is printed, is compared as well.
"""

from __future__ import annotations

from pathlib import Path

from selfeval.checks import check_project
from selfeval.disclosure.audience import PUBLIC
from selfeval.disclosure.noninterference import culprit, first_difference, mutate_project
from selfeval.problems import Problem, Problems, place
from selfeval.publish.stage import stage_version


def non_interference(
    root: Path, stage: Path, report, strict: bool, out: Path, pdf: bool, cache: str, alternatives: dict, environ: dict[str, str]
) -> list[Problem]:
    """Build the public version again from sources whose restricted inputs are replaced,
    and compare: any difference from STAGE/public is a channel nobody thought of.

    It runs in a worker process, beside the PDFs the main process prints: copying,
    building and comparing there leaves the main process free to drive the browser."""

    checked = {}

    def differs(name: str, only=None):
        """(difference, problems or None; the replacements made; how many there are in all).
        The copy is checked once here, and that check handed to its build and kept."""
        copy = stage / name
        mutations, total = mutate_project(root, report, copy / "project", alternatives=alternatives, skip={out, stage}, only=only)
        checked[name] = check_project(copy / "project", strict=strict, lint=False, needles=False)
        if not checked[name].ok:
            return list(checked[name].problems.errors), mutations, total
        problems = stage_version(
            str(copy / "project"), str(copy), PUBLIC.name, strict, checked[name], cache, False, str(root), environ
        )
        if problems:
            return problems, mutations, total
        return first_difference(stage / PUBLIC.name, copy / PUBLIC.name), mutations, total

    try:
        diff, mutations, total = differs("replaced")
        if isinstance(diff, list):
            return [
                Problem(
                    p.path,
                    p.line,
                    f"non-interference: the public version could not be built from the replaced sources: {p.what}",
                    "this is a fault of the tool, not of your sources: report it",
                    code="non-interference",
                )
                for p in diff
            ]
        if diff is None:
            return print_difference(root, stage, report, checked["replaced"]) if pdf else []
        rel, how = diff
        cause = culprit(rel, stage / PUBLIC.name, stage / "replaced" / PUBLIC.name, mutations)
        # Not recognisable in the output (a hash, a count): halve the replacements until one is left.
        candidates, step = list(range(total)), 0
        while cause is None and len(candidates) > 1 and step < 12:
            half, step = candidates[: len(candidates) // 2], step + 1
            found = differs(f"replaced-{step}", set(half))[0]
            if isinstance(found, list):
                break
            candidates = half if found else candidates[len(half) :]
        if cause is None and len(candidates) == 1:
            # The first, whole replacement recorded every input with its number.
            cause = next((m for m in mutations if m.number == candidates[0]), None)
    except OSError as exc:
        return [
            Problem(
                str(root),
                0,
                f"non-interference: the sources could not be copied: {exc}",
                "check the folder's permissions and free space, then build again",
                code="non-interference",
            )
        ]
    source, what = (cause.source, cause.what) if cause else ("content", "a restricted input")
    path, line = place(source)
    return [
        Problem(
            path,
            line,
            f"non-interference: public output {rel} {how} when {what} is replaced, "
            "so the public version depends on restricted input",
            "the public site was not replaced; find how this input reaches that file and restrict it there",
            code="non-interference",
        )
    ]


def print_difference(root: Path, stage: Path, report, replaced) -> list[Problem]:
    """The public print document (what the public PDF is made from) from both builds,
    compared; ``replaced``: the check of the replaced copy, whose metric names it prints."""
    from selfeval.publish.committee import load_committee
    from selfeval.publish.printdoc import assemble

    config = report.project.config
    committee = load_committee(root, Problems())
    mutated = stage / "replaced"
    committee_b = load_committee(mutated / "project", Problems())
    # Files are referenced by absolute URL: the two builds' folders differ by design. The
    # public build's own print document is read if its worker assembled it already.
    made = stage / f".print-{PUBLIC.name}.html"
    a = made.read_text(encoding="utf-8") if made.is_file() else assemble(root, stage / "public", "public", config, committee)
    a = a.replace((stage / "public").as_uri(), "site:")
    labels = {key: metric.label for key, metric in replaced.project.metrics.items() if metric.label}
    b = assemble(mutated / "project", mutated / "public", "public", config, committee_b, labels).replace(
        (mutated / "public").as_uri(), "site:"
    )
    if a == b:
        return []
    return [
        Problem(
            "data/committee.yaml",
            0,
            "non-interference: the public PDF's print document changes when "
            "restricted input is replaced, so the public PDF depends on it",
            "the public PDF was not written; find how restricted input reaches it and restrict it there",
            code="non-interference",
        )
    ]


def alternatives_for(report) -> dict:
    """Other values for hidden figures that keep every published figure as it is (the
    suppression audit's alternative world)."""
    from selfeval.disclosure.audit import alternative_values, decide

    return alternative_values(report.project, decide(report.project))
