"""The container image and the Kubernetes manifests (ops/deploy), checked without a cluster or a
container engine: every manifest against Kubernetes' own schemas (kubernetes-validate, strict),
the Dockerfile with hadolint, and what the two refer to (files, modules, names) against the
repository."""

from __future__ import annotations

import copy
import importlib.util
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from dockerfile_parse import DockerfileParser

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "ops" / "deploy"
K8S = DEPLOY / "k8s"
KUBERNETES_VERSION = "1.28.0"  # the newest whose schemas the pinned kubernetes-validate ships
EXAMPLE_SECRET = "secret.example.yaml"
WORKLOADS = ("Deployment", "StatefulSet")


def manifest_files() -> list[Path]:
    return sorted(path for path in K8S.glob("*.yaml") if path.name != "kustomization.yaml")


@cache
def _documents_in(path: Path) -> tuple[dict, ...]:
    return tuple(document for document in yaml.safe_load_all(path.read_text()) if document)


def documents(names: list[str] | None = None) -> list[dict]:
    return [document for path in manifest_files() if names is None or path.name in names
            for document in _documents_in(path)]


def by_kind(kind: str) -> list[dict]:
    return [document for document in documents() if document["kind"] == kind]


def containers(workload: dict) -> list[dict]:
    return workload["spec"]["template"]["spec"]["containers"]


def pod_labels() -> list[dict]:
    return [workload["spec"]["template"]["metadata"]["labels"] for kind in WORKLOADS
            for workload in by_kind(kind)]


def selects_pods(selector: dict) -> bool:
    return any(selector.items() <= labels.items() for labels in pod_labels())


def validate(document: dict) -> None:
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("document", documents(),
                         ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_every_manifest_matches_the_kubernetes_schema(document):
    validate(document)


def test_the_schema_check_rejects_a_broken_manifest():
    deployment = next(d for d in by_kind("Deployment") if d["metadata"]["name"] == "rasa")
    wrong_type = copy.deepcopy(deployment)
    wrong_type["spec"]["replicas"] = "two"
    unknown_field = copy.deepcopy(deployment)
    containers(unknown_field)[0]["livenessProbes"] = {}
    missing = copy.deepcopy(deployment)
    del missing["spec"]["selector"]
    for broken in (wrong_type, unknown_field, missing):
        with pytest.raises(kubernetes_validate.ValidationError):
            validate(broken)


def test_the_kustomization_applies_every_manifest_but_the_example_secret():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert listed == {path.name for path in manifest_files()} - {EXAMPLE_SECRET}
    assert {image["name"] for image in kustomization["images"]} == \
        {c["image"] for kind in WORKLOADS for w in by_kind(kind) for c in containers(w)
         if "/" not in c["image"] and ":" not in c["image"]}  # our image, named in one place


def test_services_budgets_policies_and_autoscalers_find_their_pods():
    for service in by_kind("Service"):
        assert selects_pods(service["spec"]["selector"]), service["metadata"]["name"]
    for budget in by_kind("PodDisruptionBudget"):
        assert selects_pods(budget["spec"]["selector"]["matchLabels"])
    for policy in by_kind("NetworkPolicy"):
        selector = policy["spec"]["podSelector"].get("matchLabels")
        assert selector is None or selects_pods(selector)
        for rule in policy["spec"].get("ingress", []):
            for peer in rule.get("from", []):
                assert selects_pods(peer["podSelector"]["matchLabels"])
    names = {(w["kind"], w["metadata"]["name"]) for kind in WORKLOADS for w in by_kind(kind)}
    for autoscaler in by_kind("HorizontalPodAutoscaler"):
        target = autoscaler["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) in names


def test_every_container_runs_as_non_root_with_bounded_resources_and_tolerant_probes():
    for kind in WORKLOADS:
        for workload in by_kind(kind):
            pod = workload["spec"]["template"]["spec"]
            assert pod["securityContext"]["runAsNonRoot"] is True
            assert pod["securityContext"]["runAsUser"] > 0
            assert pod["automountServiceAccountToken"] is False
            for container in pod["containers"]:
                name = f"{workload['metadata']['name']}/{container['name']}"
                context = container["securityContext"]
                assert context["allowPrivilegeEscalation"] is False, name
                assert context["capabilities"]["drop"] == ["ALL"], name
                assert context["readOnlyRootFilesystem"] is True, name
                for bound in ("requests", "limits"):
                    assert {"cpu", "memory"} <= set(container["resources"][bound]), name
                assert "readinessProbe" in container, name
                # Liveness judged over several failed checks, never one slow reply.
                assert container["livenessProbe"].get("failureThreshold", 3) >= 3, name


def test_only_the_front_door_is_public():
    exposed = [s["metadata"]["name"] for s in by_kind("Service")
               if s["spec"].get("type") in ("LoadBalancer", "NodePort")]
    assert exposed == ["front-door"]
    policies = by_kind("NetworkPolicy")
    assert any(p["spec"]["podSelector"] == {} and p["spec"].get("ingress") is None
               for p in policies), "a default deny of all ingress"
    open_to_all = [p["spec"]["podSelector"].get("matchLabels") for p in policies
                   for rule in p["spec"].get("ingress", []) if "from" not in rule]
    assert open_to_all == [{"app.kubernetes.io/name": "front-door"}]
    for labels in pod_labels():  # every other pod is reached only through a policy naming it
        if labels["app.kubernetes.io/name"] != "front-door":
            assert any(p["spec"]["podSelector"].get("matchLabels", {}).items() <= labels.items()
                       and p["spec"].get("ingress") for p in policies), labels


def test_configuration_and_secrets_are_the_ones_the_app_reads():
    secret = documents([EXAMPLE_SECRET])[0]
    assert {"ASSISTANT_SECRET_KEY", "REDIS_URL", "ACTION_SERVER_TOKEN"} <= set(secret["stringData"])
    config = {c["metadata"]["name"]: c["data"] for c in by_kind("ConfigMap")}
    for kind in WORKLOADS:
        for workload in by_kind(kind):
            for container in containers(workload):
                for source in container.get("envFrom", []):
                    assert source["configMapRef"]["name"] in config
                for variable in container.get("env", []):
                    reference = variable.get("valueFrom", {}).get("secretKeyRef")
                    if reference:
                        assert reference["name"] == secret["metadata"]["name"]
                        assert reference["key"] in secret["stringData"]
    # The page, REST and socket.io share the front door's origin, which Rasa must allow.
    settings = config["assistant-config"]
    assert settings["RASA_PUBLIC_URL"] in settings["CHAT_ALLOWED_ORIGINS"].split(",")
    # What endpoints.yml reads from the environment reaches the Rasa pods.
    wanted = set(re.findall(r"\$\{(\w+)\}", (ROOT / "endpoints.yml").read_text()))
    rasa = next(w for w in by_kind("Deployment") if w["metadata"]["name"] == "rasa")
    given = {v["name"] for v in containers(rasa)[0]["env"]} | set(config["assistant-config"])
    assert wanted <= given


# -- the image ------------------------------------------------------------------------------------
def dockerfile() -> DockerfileParser:
    return DockerfileParser(str(DEPLOY / "Dockerfile"))


def hadolint(text: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "hadolint"), "--no-color",
                           "--failure-threshold", "warning", "-"], input=text, text=True,
                          capture_output=True)


def test_the_dockerfile_passes_hadolint_and_hadolint_catches_a_root_user():
    text = (DEPLOY / "Dockerfile").read_text()
    result = hadolint(text)
    assert result.returncode == 0, result.stdout
    broken = hadolint(text + "USER root\n")
    assert broken.returncode != 0 and "DL3002" in broken.stdout  # last USER should not be root


def test_the_image_is_python_310_slim_and_runs_as_a_numeric_non_root_user():
    parsed = dockerfile()
    assert all(re.fullmatch(r"python:3\.10-slim(-\w+)?", image) for image in parsed.parent_images)
    user = [i["value"] for i in parsed.structure if i["instruction"] == "USER"][-1]
    assert re.fullmatch(r"[1-9]\d*(:[1-9]\d*)?", user)


def test_everything_the_image_copies_exists_and_every_package_is_copied():
    copied = []
    for instruction in dockerfile().structure:
        if instruction["instruction"] == "COPY" and "--from" not in instruction["value"]:
            copied += instruction["value"].split()[:-1]
    for source in copied:
        assert (ROOT / source).exists(), source
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert not [s for s in copied if s.rstrip("/").split("/")[0] in ignored]
    # ops/ runs the parts on one machine; in the cluster Kubernetes does (only serve.sh is needed).
    # testing/ is test tooling, run against the assistant from outside.
    tooling = {"tests", "bench", "ops", "testing"}
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - tooling
    assert packages <= {s.rstrip("/") for s in copied}
    makefile = (ROOT / "Makefile").read_text()
    for run in (i["value"] for i in dockerfile().structure if i["instruction"] == "RUN"):
        for target in re.findall(r"make (\w+)", run):
            assert re.search(rf"^{target}:", makefile, re.M), target


def test_the_container_command_starts_real_modules_and_files():
    serve = DEPLOY / "serve.sh"
    subprocess.run(["sh", "-n", str(serve)], check=True)
    text = serve.read_text()
    for module in re.findall(r"python -m ([\w.]+)", text):
        assert importlib.util.find_spec(module) is not None, module
    for path in re.findall(r"--(?:endpoints|credentials|actions) (\S+)", text):
        assert (ROOT / path).exists(), path
    model = re.search(r"--model (\S+)", text).group(1)
    assert re.search(rf"^MODEL := {re.escape(model)}$", (ROOT / "Makefile").read_text(), re.M)
    parts = set(re.findall(r"^  (\w+)\)", text, re.M))
    assert parts == {"rasa", "actions", "web"}
    for workload in by_kind("Deployment"):
        for container in containers(workload):
            if container["image"] == "uscis-assistant":
                assert container["args"][0] in parts


def test_the_container_starts_each_part_with_the_options_the_stack_gives_it(tmp_path):
    """serve.sh and the one-machine stack start the same programs with the same options (only
    the address differs), so an option added to one is not forgotten in the other."""
    from ops.settings import Settings
    from ops.stack import Stack

    branches = dict(
        re.findall(r"^  (\w+)\)(.*?);;", (DEPLOY / "serve.sh").read_text(), re.M | re.S)
    )
    stack = Stack(Settings.from_env({"STACK_STATE_DIR": str(tmp_path)}))
    for part, service in (("rasa", "rasa"), ("actions", "actions"), ("web", "web")):
        command = stack.command(service)
        assert Path(command[0]).name in branches[part].split(), part
        options = {word for word in command if word.startswith("--")}
        assert options <= set(re.findall(r"--[\w-]+", branches[part])), part
