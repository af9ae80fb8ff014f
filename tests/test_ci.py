"""The CI workflow publishes only the public site, and only from main."""

import yaml
from conftest import REPO

WORKFLOW = REPO / ".github/workflows/site.yml"


def steps_using(job: dict, action: str) -> list[dict]:
    return [s for s in job["steps"] if str(s.get("uses", "")).startswith(action)]


def test_only_the_public_site_is_published_and_only_from_main():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow[True]  # YAML reads the key `on` as true
    assert "push" in triggers and "pull_request" in triggers
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    main_only = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    pages = steps_using(build, "actions/upload-pages-artifact")
    assert len(pages) == 1 and pages[0]["with"]["path"] == "site/public" and pages[0]["if"] == main_only
    assert deploy["if"] == main_only and deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    artifacts = {s["with"]["name"]: s["with"]["path"] for s in steps_using(build, "actions/upload-artifact")}
    assert artifacts["site-internal"] == "site/internal" and artifacts["site-public"] == "site/public"
    assert artifacts["pdf-internal"] == "site/pdf/self-evaluation-internal.pdf"
    assert artifacts["pdf-public"] == "site/pdf/self-evaluation-public.pdf"


def test_every_check_runs_with_browser_tests_required():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    build = flow["jobs"]["build"]
    assert build["env"]["CI"] == "true"
    commands = [s.get("run", "") for s in build["steps"]]
    for command in ("make check", "make site", "make check-site", "make test"):
        assert command in commands, f"the workflow does not run {command}"
    assert any("chromium" in c and "apt-get install" in c for c in commands)


def test_the_workflow_installs_every_debian_package_that_ci_run_installs():
    import re

    ci_run = (REPO / ".ci/run").read_text(encoding="utf-8")
    wanted = set(re.findall(r"need\+=\(([\w.+-]+)\)", ci_run))
    for listed in re.findall(r"for pkg in ([^;]+);", ci_run):
        wanted.update(listed.split())
    assert {"chromium", "fonts-liberation"} <= wanted
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    installs = " ".join(s.get("run", "") for s in flow["jobs"]["build"]["steps"] if "apt-get install" in s.get("run", ""))
    assert sorted(p for p in wanted if p not in installs.split()) == []
