"""What is judged is what kubectl reads: cdk8s writes some strings unquoted ("0o022", "<<"), and
kubectl reads those as numbers, booleans or merge keys, so the API server would get something
else than was written. The model of cdk8s's writer is checked against cdk8s itself; such a
string is accepted where cdk8s quotes it and refused where it does not: in an argument with a
``ConfigurationError`` (the cases ``env-value-read-as-*``, ``image-profile-env-read-as-*`` and
``annotation-value-read-as-*`` of tests/test_args_env.py and tests/test_args_metadata.py), in a
JSON patch at synth. (Every scenario read back by kubectl itself: tests/test_scenarios.py.)"""

from __future__ import annotations

from typing import Any

import cdk8s
import pytest

from kasm_constructs import HardenedWorkspace
from kasm_constructs.manifests.yamlwrite import written_plain
from tests.helpers import Manifest, container, one, synth
from tests.scenario_cases import VNC

#: Strings YAML 1.1 or 1.2 (or go-yaml) may read as something else, and look-alikes that stay
#: strings.
TRICKY = [
    "yes",
    "no",
    "on",
    "off",
    "y",
    "N",
    "true",
    "null",
    "~",
    "",
    "0o022",
    "0o22",
    "0O17",
    "022",
    "0x1F",
    "0X1F",
    "0b101",
    "0B11",
    "1_000",
    "1:30",
    "2001-12-14",
    "1e3",
    ".inf",
    "-.inf",
    ".NaN",
    "123",
    "-1",
    "+1",
    "1.5",
    "=",
    "<<",
    "- a",
    "a: b",
    "#x",
    "x #y",
    "@x",
    "0777",
    "+0x1",
    "12e03",
    "1__0",
    "0x1p3",
    "+Infinity",
    "0o",
    "0x",
    " lead",
    "trail ",
    "1.16.0",
    "kasmweb/desktop:1.16.0",
    "/tmp",
    "1Gi",
    "500m",
]


def _workspace(chart: cdk8s.Chart, **kwargs: Any) -> HardenedWorkspace:
    arguments = {"image": "kasmweb/desktop:1.16.0", "secret_env": VNC, **kwargs}
    return HardenedWorkspace(chart, "desktop", **arguments)


def _synth(**kwargs: Any) -> list[Manifest]:
    return synth(lambda app: _workspace(cdk8s.Chart(app, "kasm", namespace="kasm"), **kwargs))


def _patched(path: str, value: Any, **kwargs: Any) -> cdk8s.App:
    app = cdk8s.App()
    workspace = _workspace(cdk8s.Chart(app, "kasm", namespace="kasm"), **kwargs)
    cdk8s.ApiObject.of(workspace.workload).add_json_patch(cdk8s.JsonPatch.add(path, value))
    return app


def test_the_writer_model_is_cdk8s_own() -> None:
    """``written_plain`` says what cdk8s's writer does: each string, written by cdk8s, is plain
    exactly when it says so."""
    for text in TRICKY:
        (line,) = [x for x in cdk8s.Yaml.stringify({"k": text}).splitlines() if x.startswith("k:")]
        plain = not line.removeprefix("k:").strip().startswith(("'", '"'))
        assert written_plain(text) == plain, text


def test_strings_cdk8s_quotes_are_accepted_as_they_are() -> None:
    docs = _synth(env={"A": "yes", "B": "0777", "C": "1:30", "D": "null"})
    values = {e["name"]: e.get("value") for e in container(one(docs, "Deployment"))["env"]}
    assert (values["A"], values["B"], values["C"], values["D"]) == ("yes", "0777", "1:30", "null")


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        # a merge key: kubectl would merge this AppArmor annotation into the pod's annotations
        (
            "/spec/template/metadata/annotations",
            {"<<": {"container.apparmor.security.beta.kubernetes.io/desk": "unconfined"}},
            r"metadata\.annotations key: '<<' is written unquoted, and kubectl reads it as a merge",
        ),
        (
            "/spec/template/spec/containers/0/env/0/value",
            "0o022",
            r"field spec\.template\.spec\.containers\[0\]\.env\[0\]\.value: '0o022' is written "
            r"unquoted, and kubectl reads it as the int 18",
        ),
    ],
)
def test_a_patch_that_kubectl_would_read_differently_is_refused(
    path: str, value: Any, message: str
) -> None:
    app = _patched(path, value, name="desk")
    with pytest.raises(RuntimeError, match=message):
        app.synth_yaml()
