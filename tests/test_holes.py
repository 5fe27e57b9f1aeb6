"""Issue #10: each class of hole that once produced a weaker manifest, or one Kubernetes rejects,
without any error. One test (or parametrized group) per class; each failed on the code before
the fix."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

import cdk8s
import cdk8s_plus_28 as kplus
import pytest
import yaml

from kasm_constructs import (
    HardenedWorkspace,
    Home,
    ImageProfile,
    NetworkPeer,
    PodSecurityExemption,
    SecretKeyRef,
)
from kasm_constructs.manifests.yamlwrite import written_plain
from kasm_constructs.options.network import NON_PUBLIC_RANGES
from tests.helpers import Manifest, container, one, synth
from tests.scenarios import VNC

IMAGE = "kasmweb/desktop:1.16.0"
_MINE = ImageProfile(name="mine", home="/home/me", ports={"vnc": 6901})


def _workspace(chart: cdk8s.Chart, **kwargs: Any) -> HardenedWorkspace:
    return HardenedWorkspace(chart, "desktop", **{"image": IMAGE, "secret_env": VNC, **kwargs})


def _synth(**kwargs: Any) -> list[Manifest]:
    return synth(lambda app: _workspace(cdk8s.Chart(app, "kasm", namespace="kasm"), **kwargs))


def _patched(path: str, value: Any, **kwargs: Any) -> cdk8s.App:
    app = cdk8s.App()
    workspace = _workspace(cdk8s.Chart(app, "kasm", namespace="kasm"), **kwargs)
    cdk8s.ApiObject.of(workspace.workload).add_json_patch(cdk8s.JsonPatch.add(path, value))
    return app


# --- 1. a credential is never a plain value, whatever the profile ---------------------------
@pytest.mark.parametrize("variable", ["VNC_PW", "VNC_VIEW_ONLY_PW"])
@pytest.mark.parametrize(
    "image, profile",
    [
        ("example/mine:1", _MINE),  # a hand-written profile that requires nothing
        ("registry.example.com/mirror/desktop:1.16.0", None),  # a Kasm image without kasmweb/
        (IMAGE, None),
    ],
)
def test_a_credential_variable_is_refused_as_a_plain_value(
    chart: cdk8s.Chart, variable: str, image: str, profile: ImageProfile | None
) -> None:
    with pytest.raises(ValueError, match=rf"^env\['{variable}'\]: got <str of 7 characters") as e:
        HardenedWorkspace(
            chart,
            "desktop",
            image=image,
            image_profile=profile,
            secret_env=VNC if image == IMAGE else None,
            env={variable: "hunter2"},
        )
    assert "hunter2" not in str(e.value)


def test_a_profile_cannot_carry_a_credential() -> None:
    with pytest.raises(ValueError, match=r"^ImageProfile\(env\['VNC_PW'\]\): got <str"):
        ImageProfile(name="mine", env={"VNC_PW": "hunter2"})


# --- 3. DNS egress goes to the cluster DNS only ----------------------------------------------
def _dns_rule(docs: list[Manifest]) -> dict[str, Any]:
    (rule,) = [r for r in one(docs, "NetworkPolicy")["spec"]["egress"] if "ports" in r]
    assert {p["port"] for p in rule["ports"]} == {53}
    result: dict[str, Any] = rule
    return result


def test_dns_egress_is_restricted_to_the_cluster_dns_by_default() -> None:
    assert _dns_rule(_synth())["to"] == [NetworkPeer.kube_dns().render()]
    assert NetworkPeer.kube_dns().render()["podSelector"] == {
        "matchLabels": {"k8s-app": "kube-dns"}
    }


@pytest.mark.parametrize(
    "peer",
    [
        NetworkPeer.from_ip_block("169.254.20.10/32"),  # NodeLocal DNSCache
        NetworkPeer.kube_dns(namespace="dns-system", labels={"app": "coredns"}),
    ],
    ids=["nodelocal", "other-namespace"],
)
def test_dns_egress_is_configurable(peer: NetworkPeer) -> None:
    assert _dns_rule(_synth(egress_dns=[peer]))["to"] == [peer.render()]


def test_no_dns_means_no_egress_at_all() -> None:
    assert one(_synth(egress_dns=[]), "NetworkPolicy")["spec"]["egress"] == []


def test_no_egress_rule_has_ports_without_a_destination() -> None:
    for rule in one(_synth(egress_internet=True), "NetworkPolicy")["spec"]["egress"]:
        assert rule["to"], rule


# --- 4. an exemption is no wider than its reason ---------------------------------------------
_ADD = "/spec/template/spec/containers/0/securityContext/capabilities/add"
_CAPS = "/spec/template/spec/containers/0/securityContext/capabilities"


@pytest.mark.parametrize(
    "exemption, path, value, refused",
    [
        # the README's old example: a plain reason; SYS_ADMIN is forbidden by baseline too
        ("needs SYS_PTRACE", _ADD, ["SYS_ADMIN", "SYS_MODULE"], "rule capabilities_baseline"),
        # a plain reason relaxes restricted's drop ALL, never baseline's list
        ("needs SYS_PTRACE", _CAPS, {"add": ["SYS_MODULE"]}, "rule capabilities_baseline"),
        # naming what is allowed: anything beyond it is refused
        (
            PodSecurityExemption("debug", allow=["SYS_PTRACE"]),
            _ADD,
            ["SYS_PTRACE", "SYS_ADMIN"],
            "rule capabilities_restricted",
        ),
        (
            PodSecurityExemption("debug", allow=["SYS_PTRACE"]),
            _CAPS,
            {"add": ["SYS_PTRACE"]},
            r"capabilities\.drop.*rule capabilities_restricted",
        ),
    ],
)
def test_an_exemption_never_reaches_beyond_what_it_names(
    exemption: Any, path: str, value: Any, refused: str
) -> None:
    app = _patched(path, value, pod_security_exemptions={"capabilities_restricted": exemption})
    with pytest.raises(RuntimeError, match=refused):
        app.synth_yaml()


def test_an_exemption_that_names_its_values_lets_exactly_those_through() -> None:
    exemption = PodSecurityExemption("debug", allow=["SYS_PTRACE"])
    app = _patched(
        _ADD, ["SYS_PTRACE"], pod_security_exemptions={"capabilities_restricted": exemption}
    )
    workload = one([d for d in yaml.safe_load_all(app.synth_yaml()) if d], "Deployment")
    assert container(workload)["securityContext"]["capabilities"]["add"] == ["SYS_PTRACE"]


# --- 5. manifests the API server rejects are refused -----------------------------------------
def test_a_path_with_a_double_slash_is_refused(chart: cdk8s.Chart) -> None:
    """``posixpath.normpath`` keeps a leading ``//``: two volumes landed on one path."""
    with pytest.raises(ValueError, match=r"^writable_paths key: got '//tmp'"):
        _workspace(chart, writable_paths={"/tmp": "1Gi", "//tmp": "1Gi"})
    for path in ("//tmp", "//dev/shm", "/home//me"):
        with pytest.raises(ValueError, match=rf"^Home\.ephemeral\(path\): got '{path}'"):
            Home.ephemeral(path=path)


def test_annotations_beyond_256_kib_are_refused(chart: cdk8s.Chart) -> None:
    huge = {f"example.com/a{i}": "x" * 1024 for i in range(300)}
    with pytest.raises(ValueError, match=r"^annotations: got <dict, not shown>; \d+ bytes"):
        _workspace(chart, annotations=huge)
    app = _patched("/metadata/annotations/example.com~1big", "x" * (257 * 1024))
    with pytest.raises(RuntimeError, match=r"annotations: \d+ bytes of annotations"):
        app.synth_yaml()


def test_a_windows_pod_with_linux_only_fields_is_refused() -> None:
    app = _patched("/spec/template/spec/os", {"name": "windows"})
    with pytest.raises(RuntimeError, match=r"os\.name is windows, but a Windows pod may not set"):
        app.synth_yaml()


# --- 6. arguments that escaped the ValueError contract ---------------------------------------
@pytest.mark.parametrize(
    "field, value",
    [
        ("startup_seconds", "300"),
        ("env", None),
        ("home", "relative"),
        ("home", "/"),
        ("home", "/home/../etc"),
        ("entrypoint", "/dockerstartup/start.sh"),
        ("stale_files", ["$(id)"]),
        ("ports", {"vnc": "6901"}),
    ],
)
def test_image_profile_fields_are_checked(field: str, value: Any) -> None:
    with pytest.raises(ValueError, match=rf"^ImageProfile\({field}"):
        ImageProfile(name="mine", **{field: value})


def test_stale_files_are_quoted_for_the_shell() -> None:
    profile = ImageProfile(
        name="mine",
        home="/home/me",
        ports={"vnc": 6901},
        entrypoint=("/start.sh",),
        stale_files=("/tmp/a b", "/tmp/$(id)"),
    )
    (workload,) = [
        d
        for d in _synth(image="example/mine:1", image_profile=profile, secret_env=None)
        if d["kind"] == "Deployment"
    ]
    script = container(workload)["command"][2]
    assert script == "rm -f -- '/tmp/a b' '/tmp/$(id)'; exec \"$@\""


@pytest.mark.parametrize(
    "make, parameter",
    [
        (lambda: NetworkPeer({"namespaceSelector": "all"}), "NetworkPeer.namespaceSelector"),
        (lambda: NetworkPeer({}), "NetworkPeer"),
        (lambda: NetworkPeer({"ipBlock": {"cidr": "nope"}}), "NetworkPeer.ipBlock.cidr"),
        (lambda: NetworkPeer.from_namespace_labels({}), "NetworkPeer.from_namespace_labels"),
        (lambda: NetworkPeer.from_pod_labels({}), "NetworkPeer.from_pod_labels"),
    ],
)
def test_peers_are_checked_where_they_are_made(make: Any, parameter: str) -> None:
    with pytest.raises(ValueError, match=rf"^{re.escape(parameter)}"):
        make()


def test_every_namespace_must_be_said_explicitly() -> None:
    assert NetworkPeer.any_namespace().render() == {"namespaceSelector": {}}


# --- 7. smaller ones ----------------------------------------------------------------------------
def test_a_password_pasted_as_a_secret_key_is_not_echoed(chart: cdk8s.Chart) -> None:
    for secret_env in ({"VNC_PW": ("s", "S3cret!pw")}, {"VNC_PW": ("S3cret!pw", "k")}):
        with pytest.raises(ValueError) as e:
            _workspace(chart, secret_env=secret_env)
        assert "S3cret" not in str(e.value) and "<str of 9 characters, not shown>" in str(e.value)
    with pytest.raises(ValueError) as e:
        SecretKeyRef("kasm", "S3cret!pw")
    assert "S3cret" not in str(e.value)


def test_internet_egress_excludes_nat64() -> None:
    v6 = NON_PUBLIC_RANGES["::/0"]
    for embedded in ("64:ff9b::a00:1", "64:ff9b:1::c0a8:101"):  # 10.0.0.1, 192.168.1.1
        assert any(ipaddress.ip_address(embedded) in ipaddress.ip_network(e) for e in v6)


def test_no_namespace_and_the_default_namespace_collide() -> None:
    app = cdk8s.App()
    _workspace(cdk8s.Chart(app, "a"), name="desk")
    with pytest.raises(ValueError, match=r"^name: got 'desk'.*namespace 'default'"):
        _workspace(cdk8s.Chart(app, "b", namespace="default"), name="desk")


def test_mounts_added_to_the_workspace_container_through_cdk8s_plus_are_refused() -> None:
    app = cdk8s.App()
    workspace = _workspace(cdk8s.Chart(app, "kasm", namespace="kasm"))
    volume = kplus.Volume.from_empty_dir(workspace, "data", "data")
    workspace.workload.containers[0].mount("/data", volume)
    with pytest.raises(RuntimeError, match=r"volumeMounts set on workload\.containers\[0\]"):
        app.synth_yaml()


# --- 2. what is judged is what kubectl reads -----------------------------------------------------
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


def test_the_writer_model_is_cdk8s_own() -> None:
    """``written_plain`` says what cdk8s's writer does: each string, written by cdk8s, is plain
    exactly when it says so."""
    for text in TRICKY:
        (line,) = [x for x in cdk8s.Yaml.stringify({"k": text}).splitlines() if x.startswith("k:")]
        plain = not line.removeprefix("k:").strip().startswith(("'", '"'))
        assert written_plain(text) == plain, text


@pytest.mark.parametrize(
    ("text", "read"),
    [("0o022", 18), ("0B11", 3), ("0X1F", 31)],
)
def test_a_string_kubectl_would_read_as_a_number_is_refused_in_arguments(
    chart: cdk8s.Chart, text: str, read: object
) -> None:
    for kwargs, parameter in (
        ({"env": {"UMASK": text}}, r"env\['UMASK'\]"),
        ({"annotations": {"example.com/umask": text}}, r"annotations\['example.com/umask'\]"),
    ):
        with pytest.raises(ValueError, match=rf"^{parameter}: got '{re.escape(text)}'; cdk8s "):
            _workspace(chart, **kwargs)
    assert str(read) in _read_message(text)


def _read_message(text: str) -> str:
    try:
        ImageProfile(name="x", env={"A": text})
        HardenedWorkspace(cdk8s.Chart(cdk8s.App(), "c"), "d", image="nginx:1", env={"A": text})
    except ValueError as error:
        return str(error)
    return ""


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
