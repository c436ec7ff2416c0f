#!/usr/bin/env python3
"""Checks ARM resource bodies against the Azure SDK's own models (azure-mgmt-containerservice and
azure-mgmt-network, pinned in requirements.txt).

Reads a JSON list from the file named by the first argument (or stdin):

    [{"model": "ManagedCluster", "body": {...}, "label": "optional name for messages"}, ...]

`model` is a class of `azure.mgmt.containerservice.models` (ManagedCluster, AgentPool, Snapshot,
...) or, failing that, of `azure.mgmt.network.models` (AzureFirewall, RouteTable, Subnet, ...);
`compute.Disk`, `compute.Snapshot` name classes of `azure.mgmt.compute.models` (managed disks and
their snapshots, issue 14; imported only when asked for). An item with `"answer": true` is a body
ARM answers with, not one sent: read-only fields are allowed in it.
Each body is loaded into its model and walked field by field:

- every key must be a REST field the model (or the subtype its discriminator selects) knows: the
  SDK models keep unknown keys silently, so a misspelt or misplaced key would otherwise pass and be
  lost in a round trip through the SDK (`unknown property of <Model> (not a field of <Inner>)`);
- a field the model marks read-only must not be sent (`read-only in <Model>`), except the
  resource's own `id`, `name` and `type` at the root, which name it in a template or PUT URL;
- an enum-typed field must hold one of the enum's values (compared case-insensitively, as ARM does);
- int, bool and str fields must hold JSON of that type;
- no field may be `null` (a template leaves an unset property out).

ARM template expressions (strings "[...]") are accepted for any field.

Prints one line per problem, `<label>: <path>: <problem>`, and exits 1 when there is any; prints
`ok: N bodies` and exits 0 otherwise.
"""
import enum
import json
import sys
import typing

import azure.mgmt.containerservice.models as containerservice
import azure.mgmt.network.models as network
from azure.mgmt.containerservice._utils.model_base import Model as ContainerServiceModel
from azure.mgmt.network._utils.model_base import Model as NetworkModel

PACKAGES = (containerservice, network)
MODEL_BASES = (ContainerServiceModel, NetworkModel)
ENVELOPE = ("id", "name", "type")


def compute_models():
    """azure.mgmt.compute.models, imported on first use (requirements.txt pins it)."""
    try:
        import azure.mgmt.compute.models as compute
        from azure.mgmt.compute._utils.model_base import Model as ComputeModel
    except ImportError as e:
        print(f"azure-mgmt-compute is not installed ({e}): rerun scripts/test.sh, which installs requirements.txt")
        sys.exit(2)
    global PACKAGES, MODEL_BASES
    if compute not in PACKAGES:
        PACKAGES = PACKAGES + (compute,)
        MODEL_BASES = MODEL_BASES + (ComputeModel,)
    return compute


def model_class(name):
    if name.startswith("compute."):
        cls = getattr(compute_models(), name.split(".", 1)[1], None)
        return cls if isinstance(cls, type) and issubclass(cls, MODEL_BASES) else None
    for package in PACKAGES:
        cls = getattr(package, name, None)
        if isinstance(cls, type) and issubclass(cls, MODEL_BASES):
            return cls
    return None


def package_of(cls):
    """The models package a class belongs to: forward references resolve there."""
    for package in PACKAGES:
        if cls.__module__.startswith(package.__name__.rsplit(".", 1)[0]):
            return package
    return network


def annotation(cls, attr):
    """The annotation of field `attr` on `cls` or a base class, and that class."""
    for base in cls.__mro__:
        ann = getattr(base, "__annotations__", {})
        if attr in ann:
            return ann[attr], base
    return None, cls


def flatten(ann, package):
    """The types an annotation names (Optional/Union/List unpacked, forward refs resolved)."""
    if ann is None:
        return []
    if isinstance(ann, enum.Enum):  # a Literal's value (discriminators)
        return [ann]
    if isinstance(ann, (typing.ForwardRef, str)):
        name = (ann.__forward_arg__ if isinstance(ann, typing.ForwardRef) else ann).split(".")[-1]
        resolved = getattr(package, name, None)
        return [resolved] if resolved is not None else []
    args = typing.get_args(ann)
    if args:
        return [t for a in args for t in flatten(a, package)]
    return [ann]


def field_types(cls, attr):
    ann, owner = annotation(cls, attr)
    return flatten(ann, package_of(owner))


def is_expression(value):
    return isinstance(value, str) and value.startswith("[") and value.endswith("]") and not value.startswith("[[")


def is_readonly(field):
    visibility = getattr(field, "_visibility", None)
    return bool(visibility) and list(visibility) == ["read"]


def enum_values(types):
    return [e.value for t in types if isinstance(t, type) and issubclass(t, enum.Enum) for e in t]


def check_scalar(cls, attr, value, path, problems):
    types = [t for t in field_types(cls, attr) if t is not type(None)]
    if not types or is_expression(value):
        return
    literals = [t for t in types if isinstance(t, enum.Enum)]
    if literals:
        if str(value).lower() not in [str(t.value).lower() for t in literals]:
            problems.append(f"{path}: {value!r} is not {' or '.join(repr(t.value) for t in literals)}")
        return
    if any(isinstance(t, type) and issubclass(t, MODEL_BASES) for t in types):
        problems.append(f"{path}: expected an object ({cls.__name__}.{attr}), got {type(value).__name__}")
        return
    allowed = enum_values(types)
    if allowed and isinstance(value, str):
        if value.lower() not in [str(a).lower() for a in allowed]:
            problems.append(f"{path}: {value!r} is not one of {allowed}")
        return
    if types == [int] and (not isinstance(value, int) or isinstance(value, bool)):
        problems.append(f"{path}: expected an integer, got {type(value).__name__}")
    elif types == [bool] and not isinstance(value, bool):
        problems.append(f"{path}: expected a boolean, got {type(value).__name__}")
    elif types == [str] and not isinstance(value, str):
        problems.append(f"{path}: expected a string, got {type(value).__name__}")


ANSWER = {"on": False}  # set per item: read-only fields are allowed in what ARM answers


def walk(obj, raw, path, top, problems):
    """Compares the raw JSON `raw` with the model instance `obj` built from it; `top` is the
    body's model, named in messages."""
    cls = type(obj)
    fields = {field._rest_name: (attr, field) for attr, field in cls._attr_to_rest_field.items()}
    for key, value in raw.items():
        here = f"{path}.{key}" if path else key
        if key not in fields:
            problems.append(f"{here}: unknown property of {top} (not a field of {cls.__name__}: "
                            "the SDK model does not know it, it would be lost in a round trip)")
            continue
        attr, field = fields[key]
        if value is None:
            problems.append(f"{here}: null (a template leaves an unset property out)")
            continue
        # At the root, `id`, `name` and `type` name the resource in a template or PUT URL.
        if is_readonly(field) and not (path == "" and key in ENVELOPE) and not ANSWER["on"]:
            problems.append(f"{here}: read-only in {top}")
            continue
        visit(cls, attr, getattr(obj, attr), value, here, top, problems)


def visit(cls, attr, typed, value, path, top, problems):
    if isinstance(typed, MODEL_BASES):
        if isinstance(value, dict):
            walk(typed, value, path, top, problems)
        else:
            problems.append(f"{path}: expected an object, got {type(value).__name__}")
    elif isinstance(value, list):
        if not isinstance(typed, list):
            problems.append(f"{path}: a list where {cls.__name__}.{attr} is not one")
            return
        for i, (t, v) in enumerate(zip(typed, value)):
            here = f"{path}[{i}]"
            if isinstance(t, MODEL_BASES) and isinstance(v, dict):
                walk(t, v, here, top, problems)
            elif isinstance(v, (dict, list)):
                problems.append(f"{here}: unexpected {type(v).__name__}")
            else:
                allowed = enum_values([x for x in field_types(cls, attr) if x is not list])
                if allowed and isinstance(v, str) and not is_expression(v) and v.lower() not in [str(a).lower() for a in allowed]:
                    problems.append(f"{here}: {v!r} is not one of {allowed}")
    elif isinstance(value, dict):
        # A free-form dictionary (tags, addon config): values are not models.
        if not isinstance(typed, dict):
            problems.append(f"{path}: an object where {cls.__name__}.{attr} is not one")
    else:
        check_scalar(cls, attr, value, path, problems)


def check(item, n):
    label = item.get("label") or f"[{n}] {item.get('model')}"
    cls = model_class(item.get("model", ""))
    if cls is None:
        return [f"{label}: no model {item.get('model')!r} in azure.mgmt.containerservice.models, azure.mgmt.network.models "
                "or (compute.X) azure.mgmt.compute.models"]
    body = item.get("body")
    if not isinstance(body, dict):
        return [f"{label}: body must be an object"]
    found = []
    ANSWER["on"] = item.get("answer") is True
    try:
        walk(cls(body), body, "", cls.__name__, found)
    except Exception as e:  # a body the SDK cannot load at all
        found.append(f"cannot load into {cls.__name__}: {type(e).__name__}: {e}")
    return [f"{label}: {p}" for p in found]


def main():
    text = open(sys.argv[1]).read() if len(sys.argv) > 1 else sys.stdin.read()
    items = json.loads(text)
    if not isinstance(items, list):
        print("input must be a JSON list of {model, body}")
        sys.exit(2)
    problems = [p for n, item in enumerate(items) for p in check(item, n)]
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print(f"ok: {len(items)} bodies")


if __name__ == "__main__":
    main()
