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


def test_every_check_runs_with_browser_tests_required():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    build = flow["jobs"]["build"]
    assert build["env"]["CI"] == "true"
    commands = [s.get("run", "") for s in build["steps"]]
    for command in ("make check", "make site", "make check-site", "make test"):
        assert command in commands, f"the workflow does not run {command}"
    assert any("chromium" in c and "apt-get install" in c for c in commands)
