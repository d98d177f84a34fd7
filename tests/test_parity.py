"""Parity with Serverless v3: our template for a reference case must match what v3 compiled.

Each case folder ``tests/reference/sls3/<case>/`` holds the input and v3's own template. The test
synthesizes the same input and compares everything: the stack names, the template's sections and
their order, every resource (logical ID, type, every property, ``DependsOn`` and every other
attribute), every output (``Value``, ``Description``, ``Export``, ``Condition``, ...). The only
differences allowed are the rows of :data:`tests.parity_allowances.ALLOWANCES`, each with its
reason; a row no case needs fails :func:`test_every_allowance_is_needed`, and the README's
"Differences from Serverless v3" lists exactly the table (:func:`test_readme_lists_the_allowances`).

Adding a case = adding its folder: cases are found by scanning ``tests/reference/sls3/*/`` (see
``tests/helpers.py`` :func:`~tests.helpers.reference_cases` and ``tests/reference/sls3/README.md``).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.cli.assembly import order_sections, v3_section_order
from tests.helpers import REFERENCE, V3_TEMPLATE, ReferenceCase, reference_cases, synth, template_cases
from tests.parity_allowances import (
    ALLOWANCES,
    BEGIN,
    README,
    Allowance,
    Pair,
    apply_allowances,
    drop_ours,
    readme_text,
    take_v3_value_anywhere,
)

REFERENCE_CASES = {case.name: case for case in template_cases()}
#: ``{case: (entry inside its folder, stage)}``, derived from the folders (other test modules read it)
CASES: dict[str, tuple[str, str]] = {name: (case.entry, case.stage) for name, case in REFERENCE_CASES.items()}


def case_dir(case: str) -> Path:
    return REFERENCE / case


def _reference_templates(case: ReferenceCase) -> dict[str, dict[str, Any]]:
    """``{stack name: v3 template}``: one per service folder holding a compiled template."""
    out: dict[str, dict[str, Any]] = {}
    for template in case.templates:
        state = template.parent / "serverless-state.json"
        if state.is_file():
            svc = json.loads(state.read_text())["service"]
            name = f"{svc['service']}-{svc['provider']['stage']}"
        else:
            name = _stack_name_from_yaml(template.parent, case.stage)
        out[name] = json.loads(template.read_text())
    return out


def _stack_name_from_yaml(service_dir: Path, stage: str) -> str:
    """``provider.stackName`` or ``<service>-<stage>``, read from the case's own file."""
    from constructs_lib.config.source import load_yaml_file

    data = load_yaml_file(service_dir / "serverless.yml").data
    provider = data.get("provider")
    stack_name = provider.get("stackName") if isinstance(provider, dict) else None  # `provider: aws`
    return str(stack_name or f"{data['service']}-{stage}")


def _pairs(case: ReferenceCase) -> dict[str, Pair]:
    """``{stack name: Pair}`` of a case (the stack names must agree)."""
    ours = synth(case.target, stage=case.stage)
    theirs = _reference_templates(case)
    assert sorted(ours) == sorted(theirs), "stack names differ"
    return {name: Pair(ours=ours[name], theirs=theirs[name], folder=case.folder) for name in theirs}


_ABSENT = object()


def _attributes(where: str, mine: dict[str, Any], v3: dict[str, Any]) -> list[str]:
    """A difference per key of two mappings (missing on either side included)."""
    return [
        f"{where}.{key}: {mine.get(key)!r} != v3 {v3.get(key)!r}"
        for key in [*v3, *(k for k in mine if k not in v3)]
        if mine.get(key, _ABSENT) != v3.get(key, _ABSENT)
    ]


def _resource_differences(lid: str, mine: dict[str, Any], res: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if mine.get("Type") != res.get("Type"):
        problems.append(f"{lid}: type {mine.get('Type')} != {res.get('Type')}")
    problems += _attributes(lid, mine.get("Properties", {}), res.get("Properties", {}))
    others = ({k: v for k, v in r.items() if k not in ("Type", "Properties")} for r in (mine, res))
    problems += _attributes(lid, *others)
    if ("Properties" in mine) != ("Properties" in res) and not (
        mine.get("Properties") or res.get("Properties")
    ):
        problems.append(f"{lid}.Properties: {mine.get('Properties')!r} != v3 {res.get('Properties')!r}")
    return problems


def compare(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    """Every difference between two templates, nothing allowed: sections and their order, every
    resource and each of its properties and attributes, every output and each of its keys."""
    problems: list[str] = []
    if list(ours) != list(theirs):
        problems.append(f"sections {list(ours)} != v3 {list(theirs)}")
    our_res, their_res = ours.get("Resources", {}), theirs.get("Resources", {})
    for lid, res in their_res.items():
        if lid not in our_res:
            problems.append(f"missing resource {lid} ({res.get('Type')})")
        else:
            problems += _resource_differences(lid, our_res[lid], res)
    problems += [
        f"extra resource {lid} ({r.get('Type')})" for lid, r in our_res.items() if lid not in their_res
    ]
    our_out, their_out = ours.get("Outputs", {}), theirs.get("Outputs", {})
    for key in [*their_out, *(k for k in our_out if k not in their_out)]:
        if key not in our_out or key not in their_out:
            problems.append(f"{'missing' if key in their_out else 'extra'} output {key}")
        else:
            problems += _attributes(f"output {key}", our_out[key], their_out[key])
    for section in [*theirs, *(k for k in ours if k not in theirs)]:
        if section not in ("Resources", "Outputs") and ours.get(section) != theirs.get(section):
            problems.append(f"{section}: {ours.get(section)!r} != v3 {theirs.get(section)!r}")
    return problems


def differences(ours: dict[str, Any], theirs: dict[str, Any], folder: Path | None = None) -> list[str]:
    """Every difference between our template and v3's that no row of the allowance table allows."""
    pair = Pair(ours=copy.deepcopy(ours), theirs=copy.deepcopy(theirs), folder=folder)
    apply_allowances(pair)
    return compare(pair.ours, pair.theirs)


@pytest.mark.parametrize("name", sorted(REFERENCE_CASES))
def test_matches_serverless_v3(name: str) -> None:
    pairs = _pairs(REFERENCE_CASES[name])
    report = {stack: differences(p.ours, p.theirs, p.folder) for stack, p in pairs.items()}
    assert report == {stack: [] for stack in pairs}


def allowance_usage(table: tuple[Allowance, ...] = ALLOWANCES) -> dict[str, list[str]]:
    """``{row id: the cases (and stacks) whose templates need it}``, over every reference case."""
    usage: dict[str, list[str]] = {row.id: [] for row in table}
    for name, case in sorted(REFERENCE_CASES.items()):
        for stack, pair in _pairs(case).items():
            for row_id, hits in apply_allowances(pair, table).items():
                if hits:
                    usage[row_id].append(f"{name}[{stack}]")
    return usage


def test_every_allowance_is_needed() -> None:
    """A row no reference case needs is deleted (an allowance nobody uses only hides future bugs)."""
    assert len({row.id for row in ALLOWANCES}) == len(ALLOWANCES), "row ids must be unique"
    usage = allowance_usage()
    unused = [row for row, cases in usage.items() if not cases]
    table = "\n".join(f"  {row}: {', '.join(cases) or 'UNUSED'}" for row, cases in usage.items())
    assert not unused, f"allowances no case needs: {unused}\n{table}"


def test_an_unneeded_allowance_is_reported() -> None:
    """The usage count itself: a row matching nothing in any case counts no use."""
    never = Allowance(id="never", reason="-", logical_id="NoSuchResource.*", apply=drop_ours)
    usage = allowance_usage((*ALLOWANCES, never))
    assert usage["never"] == []
    assert usage["lambda-code-s3key"]


def test_a_value_anywhere_row_takes_only_what_it_allows() -> None:
    """The applier future rows such as a literal account ID use: v3's value where the predicate
    holds, at any depth; any other difference stays a difference."""
    literal = Allowance(
        id="literal-account",
        reason="-",
        resource_type="AWS::SQS::Queue",
        when=lambda ours, v3: ours == {"Ref": "AWS::AccountId"} and v3 == "123456789012",
        apply=take_v3_value_anywhere,
    )
    theirs = _template()
    theirs["Resources"]["Q"]["Properties"].update(QueueName=["a", "123456789012"], DelaySeconds=5)
    ours = _template()
    ours["Resources"]["Q"]["Properties"]["QueueName"] = ["a", {"Ref": "AWS::AccountId"}]
    pair = Pair(ours=ours, theirs=theirs)
    assert apply_allowances(pair, (literal,)) == {"literal-account": 1}
    assert compare(pair.ours, pair.theirs) == ["Q.DelaySeconds: 1 != v3 5"]


def test_readme_lists_the_allowances() -> None:
    """README "Differences from Serverless v3" holds the block generated from the table, so it names
    exactly its rows and reasons (``python -m tests.parity_allowances`` rewrites it)."""
    text = README.read_text()
    assert readme_text(text) == text, "README block is stale: run python -m tests.parity_allowances"
    section = text[text.index("## Differences from Serverless v3") :]
    assert section.index(BEGIN) < section.index("\n## ")
    for row in ALLOWANCES:
        assert f"`{row.id}`" in section and row.reason in section


def test_parity_check_catches_a_changed_logical_id() -> None:
    """The comparison itself must fail on the kind of change that would replace a resource."""
    theirs = {
        "Resources": {"EnvLogGroup": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 1}}}
    }
    ours = {
        "Resources": {"EnvLogGroupX": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 1}}}
    }
    assert differences(ours, theirs) == [
        "missing resource EnvLogGroup (AWS::Logs::LogGroup)",
        "extra resource EnvLogGroupX (AWS::Logs::LogGroup)",
    ]


def test_every_case_folder_describes_itself() -> None:
    """A folder dropped into tests/reference/sls3 is a case: it must say its stage (README) and hold
    v3's templates, or be a record of deploy calls (``aws-calls-*.json``), never be silently skipped.
    Where v3 left its serverless-state.json, its stage must be the README's."""
    cases = reference_cases()
    assert len(REFERENCE_CASES) >= 30
    for case in cases:
        assert case.templates or list(case.folder.glob("aws-calls-*.json")), f"{case.name}: no {V3_TEMPLATE}"
        for state in case.folder.rglob("serverless-state.json"):
            assert json.loads(state.read_text())["service"]["provider"]["stage"] == case.stage, state


def _template(**sections: Any) -> dict[str, Any]:
    """A small template in v3's section order (guards below change one thing in a copy)."""
    base: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "d",
        "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 1}}},
        "Outputs": {"QArn": {"Value": {"Fn::GetAtt": ["Q", "Arn"]}, "Export": {"Name": "x"}}},
    }
    return {**base, **sections}


def test_parity_check_catches_a_changed_property() -> None:
    ours = _template()
    ours["Resources"]["Q"]["Properties"]["DelaySeconds"] = 2
    ours["Resources"]["Q"]["DeletionPolicy"] = "Retain"
    assert differences(ours, _template()) == [
        "Q.DelaySeconds: 2 != v3 1",
        "Q.DeletionPolicy: 'Retain' != v3 None",
    ]


def test_parity_check_catches_a_missing_or_changed_output() -> None:
    ours = _template()
    del ours["Outputs"]["QArn"]
    assert differences(ours, _template()) == ["missing output QArn"]
    ours = _template()
    ours["Outputs"]["QArn"]["Description"] = "arn"
    assert differences(ours, _template()) == ["output QArn.Description: 'arn' != v3 None"]


def test_parity_check_catches_a_changed_section() -> None:
    theirs = _template(Conditions={"C": {"Fn::Equals": ["a", "b"]}})
    ours = _template(Conditions={"C": {"Fn::Equals": ["a", "c"]}})
    assert differences(ours, theirs) == [
        "Conditions: {'C': {'Fn::Equals': ['a', 'c']}} != v3 {'C': {'Fn::Equals': ['a', 'b']}}"
    ]
    assert differences(_template(Description="other"), _template()) == ["Description: 'other' != v3 'd'"]


def test_parity_check_catches_a_wrong_section_order() -> None:
    theirs = _template()
    ours = {key: theirs[key] for key in ("Description", "AWSTemplateFormatVersion", "Outputs", "Resources")}
    assert differences(ours, theirs) == [
        "sections ['Description', 'AWSTemplateFormatVersion', 'Outputs', 'Resources'] != v3 "
        "['AWSTemplateFormatVersion', 'Description', 'Resources', 'Outputs']"
    ]


def test_sections_move_byte_for_byte(tmp_path: Path) -> None:
    """The rewrite that puts CDK's template in v3's section order moves text, it changes none:
    every line is kept (a string holding ``\\n "Resources": `` is no section)."""
    template = {
        "Description": 'tricky \n "Resources": {',
        "Outputs": {"O": {"Value": 'é\\"', "Export": {"Name": "n"}}},
        "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": [], "X": {}}}},
        "Conditions": {"C": {"Fn::Equals": [1, 2.5]}},
        "AWSTemplateFormatVersion": "2010-09-09",
    }
    file = tmp_path / "t.template.json"
    text = json.dumps(template, indent=1, ensure_ascii=False)  # as CDK writes it (JSON.stringify, 1)
    file.write_text(text)
    order_sections(file, v3_section_order(["Conditions"]))
    new = file.read_text()
    assert json.loads(new) == template
    assert list(json.loads(new)) == [
        "AWSTemplateFormatVersion",
        "Description",
        "Resources",
        "Outputs",
        "Conditions",
    ]
    assert sorted(line.rstrip(",") for line in new.splitlines()) == sorted(
        line.rstrip(",") for line in text.splitlines()
    )


def test_every_synthesis_writes_v3_sections(tmp_path: Path) -> None:
    """``sls-cdk synth`` and ``cdk synth`` (both :func:`synthesize`) write v3's sections in v3's
    order; the manifests still name the template and the code assets the template uses."""
    from constructs_lib.cli.synthesis import synthesize
    from constructs_lib.loader.project import load_project

    case = REFERENCE_CASES["f33-template-sections"]
    (template_file,) = synthesize(load_project(case.target, stage=case.stage), tmp_path / "out")
    template = json.loads(template_file.read_text())
    assert list(template) == list(json.loads(case.templates[0].read_text()))
    assets = json.loads(template_file.with_name("sections-dev.assets.json").read_text())["files"]
    assert template_file.name in {a["source"]["path"] for a in assets.values()}
    code_key = template["Resources"]["HelloLambdaFunction"]["Properties"]["Code"]["S3Key"]
    assert any(d["objectKey"] == code_key for a in assets.values() for d in a["destinations"].values())


def test_every_case_is_in_the_readers_table() -> None:
    """tests/reference/sls3/README.md lists every case with what it covers (for readers)."""
    table = (REFERENCE / "README.md").read_text()
    missing = [case.name for case in reference_cases() if f"| {case.name} |" not in table]
    assert missing == []
