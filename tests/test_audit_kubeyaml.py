"""kubeyaml reads every file of the differential corpus as kubectl 1.32 does.

``tests/kubeyaml_corpus/NAME`` holds tricky manifests and ``NAME.expected.json`` what kubectl
read from each (``kubectl patch --local -f NAME --type merge -p {} -o json``, which prints
every object kubectl would send, unchanged), so these tests need no kubectl. When a kubectl
1.32 or newer is on PATH, ``test_expected_files_are_kubectls_reading`` checks them again.
Regenerate them with ``python -m tests.test_audit_kubeyaml`` after adding a file.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kasm_constructs import kubeyaml

CORPUS = Path(__file__).resolve().parent / "kubeyaml_corpus"
EXPECTED_SUFFIX = ".expected.json"
MINIMUM_KUBECTL_MINOR = 32
KUBECTL_READ = ("kubectl", "patch", "--local", "--type", "merge", "-p", "{}", "-o", "json", "-f")

# Files kubectl reads that kubeyaml refuses on purpose (docs/audit.md says why), with a piece
# of the error message.
REFUSED = {
    "not-utf8.yaml": "not UTF-8",
    "bom-inside-string.yaml": "byte order mark",
    "keys-colliding-as-strings.yaml": "at random",
    "keys-colliding-bool.yaml": "at random",
    "keys-two-nan.yaml": "at random",
    "escape-single-quote.yaml": "unknown escape",
    "tag-followed-by-comma.yaml": "part of the tag",
    "flow-colon-before-indicator.yaml": "plain scalar",
}


def corpus_files() -> list[Path]:
    return sorted(
        path
        for path in CORPUS.iterdir()
        if path.is_file() and not path.name.endswith(EXPECTED_SUFFIX) and path.name != "README.md"
    )


def expected_path(path: Path) -> Path:
    return path.with_name(path.name + EXPECTED_SUFFIX)


def _kubectl_int(text: str) -> int | float:
    value = int(text)
    return value if -(2**63) <= value < 2**63 else float(value)


def _kubectl_float(text: str) -> int | float:
    """How the API server reads a number kubectl prints (int64 when it is one, else float)."""
    value = float(text)
    if value.is_integer() and abs(value) < 1e21:
        integer = int(Decimal(repr(value)))
        if -(2**63) <= integer < 2**63:
            return integer
    return value


def read_json_stream(text: str) -> list[Any]:
    decoder = json.JSONDecoder(parse_int=_kubectl_int, parse_float=_kubectl_float)
    values, position = [], 0
    while position < len(text.rstrip()):
        while text[position].isspace():
            position += 1
        value, position = decoder.raw_decode(text, position)
        values.append(value)
    return values


def kubectl_reading(path: Path) -> dict[str, Any]:
    """What kubectl reads from ``path``: its objects, or that it refuses the file."""
    completed = subprocess.run(
        [*KUBECTL_READ, path.name],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=CORPUS,
    )
    if completed.returncode == 0 or "no objects passed to patch" in completed.stderr:
        return {"reads": True, "objects": read_json_stream(completed.stdout)}
    return {"reads": False, "error": completed.stderr.strip().splitlines()[-1]}


def canonical(value: Any) -> str:
    """Equal for equal JSON values of equal types (True != 1, 1 != 1.0)."""
    return json.dumps(value, sort_keys=True)


def load_expected(path: Path) -> dict[str, Any]:
    expected = json.loads(
        expected_path(path).read_text(encoding="utf-8"),
        parse_int=_kubectl_int,
        parse_float=_kubectl_float,
    )
    assert isinstance(expected, dict)
    return expected


CORPUS_PARAMS = [pytest.param(path, id=path.name) for path in corpus_files()]


def test_corpus_is_large_and_complete() -> None:
    files = corpus_files()
    assert len(files) >= 40
    assert [path.name for path in files if not expected_path(path).exists()] == []
    assert set(REFUSED) <= {path.name for path in files}


@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize("path", CORPUS_PARAMS)
def test_reads_as_kubectl(path: Path, pure: bool) -> None:
    if not pure and not kubeyaml.USING_LIBYAML:
        pytest.skip("PyYAML was built without libyaml")
    expected = load_expected(path)
    if not expected["reads"] or path.name in REFUSED:
        with pytest.raises(kubeyaml.ManifestError) as error:
            kubeyaml.read_file(path, pure=pure)
        assert str(error.value).startswith(str(path))
        assert "Traceback" not in str(error.value)
        if path.name in REFUSED:
            assert REFUSED[path.name] in str(error.value)
        return
    objects = [dict(obj.value) for obj in kubeyaml.read_file(path, pure=pure)]
    assert canonical(objects) == canonical(expected["objects"])


def test_expected_files_are_kubectls_reading() -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not on PATH")
    version = subprocess.run(
        [kubectl, "version", "--client", "-o", "json"], capture_output=True, text=True, check=False
    )
    try:
        client = json.loads(version.stdout)["clientVersion"]
        minor = int("".join(char for char in client["minor"] if char.isdigit()))
    except (ValueError, KeyError):
        pytest.skip(f"cannot tell kubectl's version: {version.stdout or version.stderr}")
    if int(client["major"]) != 1 or minor < MINIMUM_KUBECTL_MINOR:
        pytest.skip(f"kubectl {client['gitVersion']} is older than 1.{MINIMUM_KUBECTL_MINOR}")
    mismatched = []
    for path in corpus_files():
        reading, expected = kubectl_reading(path), load_expected(path)
        random = REFUSED.get(path.name) == "at random"  # kubectl's reading varies by run
        if reading["reads"] != expected["reads"] or (
            not random and canonical(reading.get("objects")) != canonical(expected.get("objects"))
        ):
            mismatched.append(path.name)
    assert mismatched == []


# --- Single scalars, against kubectl's reading of plain-scalars.yaml ----------------------------

PLAIN_SCALARS = CORPUS / "plain-scalars.yaml"


def _plain_scalar_texts() -> tuple[list[str], list[str]]:
    lines = PLAIN_SCALARS.read_text(encoding="utf-8").splitlines()
    start, middle = lines.index("values:"), lines.index("keys:")
    values = [line.removeprefix("- ") for line in lines[start + 1 : middle]]
    keys = [line.strip().rsplit(": ", 1)[0] for line in lines[middle + 1 :]]
    return values, keys


def test_resolve_plain_scalar_agrees_with_kubectl() -> None:
    values, _ = _plain_scalar_texts()
    [expected] = load_expected(PLAIN_SCALARS)["objects"]
    assert len(values) == len(expected["values"]) > 100
    resolved = [kubeyaml.resolve_plain_scalar(text) for text in values]
    assert canonical(resolved) == canonical(expected["values"])


def test_resolve_plain_key_agrees_with_kubectl() -> None:
    _, keys = _plain_scalar_texts()
    [expected] = load_expected(PLAIN_SCALARS)["objects"]
    by_index = {index: key for key, index in expected["keys"].items()}
    assert len(by_index) == len(keys)
    assert [kubeyaml.resolve_plain_key(text) for text in keys] == [
        by_index[index] for index in range(len(keys))
    ]


@pytest.mark.parametrize("text", [".nan", ".NaN", ".inf", "-.Inf", "+.INF"])
def test_resolve_plain_scalar_refuses_what_kubectl_cannot_send(text: str) -> None:
    # float-nan.yaml and float-inf.yaml: kubectl fails with "json: unsupported value"
    with pytest.raises(ValueError, match="unsupported value"):
        kubeyaml.resolve_plain_scalar(text)


@pytest.mark.parametrize("text", ["~", "null", "", "18446744073709551615", "<<"])
def test_resolve_plain_key_refuses_what_kubectl_refuses(text: str) -> None:
    # key-null.yaml, key-uint64.yaml; "<<" is a merge key (merge-*.yaml)
    with pytest.raises(ValueError):
        kubeyaml.resolve_plain_key(text)


def test_is_merge_key() -> None:
    assert kubeyaml.is_merge_key("<<")
    assert not any(kubeyaml.is_merge_key(text) for text in ("<", "<<<", " <<", "'<<'", "merge"))


# --- Reader properties ---------------------------------------------------------------------------


def test_importing_the_reader_and_the_audit_starts_no_jsii() -> None:
    code = (
        "import sys, kasm_constructs.cli.audit, kasm_constructs.manifests.kubeyaml;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('cdk8s', 'jsii')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert completed.stdout.strip() == "[]"


def test_a_10_mib_file_reads_and_a_larger_than_the_limit_does_not(tmp_path: Path) -> None:
    value = "x" * 200
    data = "".join(f"  key-{index}: {value}\n" for index in range(1000))
    document = f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big}}\ndata:\n{data}"
    copies = 10 * 2**20 // len(document) + 1
    big = tmp_path / "big.yaml"
    big.write_text("---\n".join([document] * copies), encoding="utf-8")
    assert big.stat().st_size > 10 * 2**20
    objects = kubeyaml.read_file(big)
    assert len(objects) == copies
    assert objects[-1].value["data"]["key-999"] == value
    with pytest.raises(kubeyaml.ManifestError, match="MAX_FILE_BYTES"):
        kubeyaml.read_bytes(b" " * (kubeyaml.MAX_FILE_BYTES + 1), "huge.yaml")


def test_positions_point_at_the_field(tmp_path: Path) -> None:
    yaml_file = CORPUS / "merge-after-explicit-key.yaml"
    [pod] = kubeyaml.read_file(yaml_file)
    lines = yaml_file.read_text(encoding="utf-8").splitlines()
    path = ("spec", "containers", 0, "securityContext", "privileged")
    line, column = pod.position(path)
    assert lines[line - 1][column - 1 :].startswith("<<:")  # the merge key set it
    line, column = pod.position(("spec", "containers", 0, "image"))
    assert lines[line - 1][column - 1 :] == "image: busybox"
    json_file = CORPUS / "json-stream.json"
    third = kubeyaml.read_file(json_file)[2]
    line, column = third.position(("spec", "hostNetwork"))
    text = json_file.read_text(encoding="utf-8").splitlines()[line - 1]
    assert text[column - 1 :].startswith('"hostNetwork":true')


def write_expected_files() -> None:
    """Record kubectl's reading of every corpus file (run with kubectl 1.32 on PATH)."""
    for path in corpus_files():
        reading = kubectl_reading(path)
        expected_path(path).write_text(json.dumps(reading, indent=1) + "\n", encoding="utf-8")
        print(f"{path.name}: {'reads' if reading['reads'] else 'refuses'}")


if __name__ == "__main__":
    write_expected_files()


def test_the_pure_python_parser_never_misreads_what_libyaml_reads() -> None:
    """Seeded mutations of the corpus: where PyYAML's pure-Python parser reads a file, libyaml
    reads it the same (it may refuse a few odd ones libyaml reads: tag handles such as !~!)."""
    if not kubeyaml.USING_LIBYAML:
        pytest.skip("PyYAML was built without libyaml")
    rng = random.Random(23)
    sources = [path.read_bytes() for path in corpus_files() if path.stat().st_size < 20_000]
    alphabet = b" \n\t-:[]{},#&*!|>'\"%@`?<=~0123456789.aeEnoxyYN_+\\\r"
    misread, refused = [], 0
    for _ in range(FUZZ_MUTATIONS):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 3)):
            where = rng.randrange(len(data) + 1)
            if rng.random() < 0.6:
                data[where:where] = bytes([rng.choice(alphabet)])
            else:
                del data[where : where + 1]
        libyaml, pure = _reading(bytes(data), pure=False), _reading(bytes(data), pure=True)
        if pure is not None and pure != libyaml:
            misread.append(bytes(data))
        refused += pure is None and libyaml is not None
    assert misread == []
    assert refused < FUZZ_MUTATIONS // 1000


FUZZ_MUTATIONS = 3000


def _reading(data: bytes, pure: bool) -> str | None:
    try:
        return canonical([dict(obj.value) for obj in kubeyaml.read_bytes(data, "fuzz", pure=pure)])
    except kubeyaml.ManifestError:
        return None
