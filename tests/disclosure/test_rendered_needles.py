"""The leak scan's needles for hidden figures come from rendering them, so any wording the
renderer uses — today's or a new one — is looked for."""

from conftest import replace_in

from selfeval.publish import stage
import selfeval.render.figures
import selfeval.disclosure.suppression
from selfeval.checks import check_project


def small_carers(tiny):
    """A count of 3 people, cited with its change from an earlier count of 2."""
    core = tiny / "data/metrics/core.yaml"
    core.write_text(
        core.read_text()
        + (
            "  - id: carers_small\n    label: Young carers supported\n    definition: Young carers with a plan.\n"
            "    unit: people\n    polarity: higher_is_better\n    source: ev-census-2021\n"
        )
    )
    obs = tiny / "data/observations/core.csv"
    obs.write_text(
        obs.read_text() + "carers_small,,2023/24,2024-03-31,2,,,2024-05-01,\ncarers_small,,2024/25,2025-01-31,3,,,2025-02-01,\n"
    )
    replace_in(
        tiny / "content/safety.md",
        "# Safety\n",
        '# Safety\n\nWe supported {{ figure("carers_small", show="change") }} young carers.\n',
    )
    return tiny


def test_needles_follow_what_the_internal_rendering_shows(tiny):
    report = check_project(small_carers(tiny), lint=False)
    keys = {n.key: n for n in report.plan.needles}
    # "3, up from 2 in 2023/24" in its sentence, and the Figures page's row for the metric.
    # Each value the public version hides, with the words the renderer put either side of it.
    assert keys[" we supported 3 up from 2 "].source == "content/safety.md:3"
    assert keys[" 3 up from 2 in 2023 24 "].source == "content/safety.md:3"
    # (the row's download link sits between the definition and the value)
    assert any(n.source == "figures.md (generated)" and " all periods csv 3 2024 25 " in k for k, n in keys.items())


def test_a_reworded_renderer_whose_public_version_leaks_is_caught(tiny, monkeypatch):
    root = small_carers(tiny)
    # New wording in both versions ("during 2023/24"), and a public version that forgets to hide.
    monkeypatch.setattr(selfeval.render.figures, "in_period", lambda label: f"during the year {label}")
    monkeypatch.setattr(selfeval.disclosure.suppression.Disclosure, "placeholder", lambda self, metric, obs: None)
    monkeypatch.setenv("SELFEVAL_CACHE", "")
    report = check_project(root, lint=False)
    assert " 3 up from 2 during the year " in {n.key for n in report.plan.needles}
    out = root / "site"
    out.mkdir()
    # Built in this process, so the changed renderer is the one the build uses.
    problems = stage.stage_version(str(root), str(out), "public", False, report)
    assert any(
        str(p).startswith("content/safety.md:3: leak: a value figure() hides in public") and "up from 2 during the year" in str(p)
        for p in problems
    ), [str(p) for p in problems]
