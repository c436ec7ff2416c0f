#!/usr/bin/env python3
"""Loads ARM resource bodies into the Azure SDK's own models and reports what the SDK does not know.

Reads a JSON list from the file named by the first argument (or stdin):

    [{"model": "ManagedCluster", "body": {...}, "label": "optional name for messages"}, ...]

`model` is a class of `azure.mgmt.containerservice.models` (ManagedCluster, AgentPool,
ManagedClusterAgentPoolProfile, Snapshot, ...) or, failing that, of `azure.mgmt.network.models`;
the packages are pinned in requirements.txt.

Each body is deserialized into its model, then serialized back from the model's typed fields
(the round trip an SDK user makes: `Model(body)` and back through its attributes). Every key path
present in the input but lost in that round trip is a property the model does not know (the SDK
models keep unknown keys silently in their backing dictionary, so `as_dict()` alone would not show
them): the script prints one line per lost path, `<label>: <path>: unknown property of <Model>`,
and exits 1. It also reports the properties the model marks read-only (`<path>: read-only in
<Model>`): a deployment body must not carry them. ARM template expressions (strings "[...]") are
accepted for any field. Prints `ok: N bodies` and exits 0 when nothing was lost.
"""
import json
import sys

import azure.mgmt.containerservice.models as containerservice
import azure.mgmt.network.models as network
from azure.mgmt.containerservice._utils.model_base import Model as ContainerServiceModel
from azure.mgmt.network._utils.model_base import Model as NetworkModel

MODEL_BASES = (ContainerServiceModel, NetworkModel)


def model_class(name):
    for package in (containerservice, network):
        cls = getattr(package, name, None)
        if isinstance(cls, type) and issubclass(cls, MODEL_BASES):
            return cls
    return None


def rest_fields(obj):
    """REST name -> (attribute name, field) of a model instance's class."""
    return {field._rest_name: (attr, field) for attr, field in type(obj)._attr_to_rest_field.items()}


def is_readonly(field):
    visibility = getattr(field, "_visibility", None)
    return bool(visibility) and list(visibility) == ["read"]


def round_trip(typed):
    """Serializes a deserialized value back from its typed fields only."""
    if isinstance(typed, MODEL_BASES):
        out = {}
        for rest, (attr, _field) in rest_fields(typed).items():
            value = getattr(typed, attr, None)
            if value is not None:
                out[rest] = round_trip(value)
        return out
    if isinstance(typed, list):
        return [round_trip(v) for v in typed]
    if isinstance(typed, dict):
        return {k: round_trip(v) for k, v in typed.items()}
    return typed


def lost_paths(raw, back, path, out):
    """Key paths of `raw` that `back` (the round trip) does not hold."""
    if isinstance(raw, dict):
        if not isinstance(back, dict):
            out.append(path or "(root)")
            return
        for key, value in raw.items():
            here = f"{path}.{key}" if path else key
            if key not in back:
                out.append(here)
            else:
                lost_paths(value, back[key], here, out)
    elif isinstance(raw, list):
        if not isinstance(back, list):
            out.append(path)
            return
        for i, (value, b) in enumerate(zip(raw, back)):
            lost_paths(value, b, f"{path}[{i}]", out)


def readonly_paths(typed, raw, path, out):
    """Key paths of `raw` that the model marks read-only."""
    if isinstance(typed, MODEL_BASES) and isinstance(raw, dict):
        fields = rest_fields(typed)
        for key, value in raw.items():
            here = f"{path}.{key}" if path else key
            if key not in fields:
                continue
            attr, field = fields[key]
            if is_readonly(field):
                out.append(here)
                continue
            readonly_paths(getattr(typed, attr, None), value, here, out)
    elif isinstance(typed, list) and isinstance(raw, list):
        for i, (t, r) in enumerate(zip(typed, raw)):
            readonly_paths(t, r, f"{path}[{i}]", out)


def check(item, n):
    label = item.get("label") or f"[{n}] {item.get('model')}"
    cls = model_class(item.get("model", ""))
    if cls is None:
        return [f"{label}: no model {item.get('model')!r} in azure.mgmt.containerservice.models or azure.mgmt.network.models"]
    body = item.get("body")
    if not isinstance(body, dict):
        return [f"{label}: body must be an object"]
    try:
        typed = cls(body)
        back = round_trip(typed)
    except Exception as e:  # a body the SDK cannot load at all
        return [f"{label}: cannot load into {cls.__name__}: {type(e).__name__}: {e}"]
    lost, readonly = [], []
    lost_paths(body, back, "", lost)
    readonly_paths(typed, body, "", readonly)
    return ([f"{label}: {p}: unknown property of {cls.__name__} (lost in the round trip through the SDK)" for p in lost]
            + [f"{label}: {p}: read-only in {cls.__name__}" for p in readonly])


def main():
    text = open(sys.argv[1]).read() if len(sys.argv) > 1 else sys.stdin.read()
    items = json.loads(text)
    if not isinstance(items, list):
        print("input must be a JSON list of {model, body}")
        sys.exit(2)
    problems = []
    for n, item in enumerate(items):
        problems += check(item, n)
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print(f"ok: {len(items)} bodies")


if __name__ == "__main__":
    main()
