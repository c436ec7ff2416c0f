#!/usr/bin/env python3
"""Checks ARM resource bodies against the azure-mgmt-network models (pinned in requirements.txt).

Reads a JSON list from the file named by the first argument (or stdin):

    [{"model": "AzureFirewall", "body": {...}, "label": "optional name for messages"}, ...]

`model` is a class of `azure.mgmt.network.models` (AzureFirewall, RouteTable, FirewallPolicy,
FirewallPolicyRuleCollectionGroup, PublicIPAddress, Subnet, ...). Each body is loaded into its
model and walked field by field:

- every key must be a REST field the model (or the subtype its discriminator selects) knows: the
  SDK models keep unknown keys silently, so a misspelt or misplaced key would otherwise pass and be
  lost in a round trip through the SDK;
- an enum-typed field must hold one of the enum's values (compared case-insensitively, as ARM does);
- int, bool and str fields must hold JSON of that type.

ARM template expressions (strings "[...]") are accepted for any field.

Prints one line per problem, `<label>: <path>: <problem>`, and exits 1 when there is any; prints
`ok: N bodies` and exits 0 otherwise.
"""
import enum
import json
import sys
import typing

import azure.mgmt.network.models as models
from azure.mgmt.network._utils.model_base import Model


def annotation(cls, attr):
    """The annotation of field `attr` on `cls` or a base class."""
    for base in cls.__mro__:
        ann = getattr(base, "__annotations__", {})
        if attr in ann:
            return ann[attr]
    return None


def flatten(ann):
    """The types an annotation names (Optional/Union/List unpacked, forward refs resolved)."""
    out = []
    if ann is None:
        return out
    if isinstance(ann, enum.Enum):  # a Literal's value (discriminators)
        return [ann]
    if isinstance(ann, typing.ForwardRef):
        name = ann.__forward_arg__.split(".")[-1]
        resolved = getattr(models, name, None)
        return [resolved] if resolved is not None else []
    if isinstance(ann, str):
        resolved = getattr(models, ann.split(".")[-1], None)
        return [resolved] if resolved is not None else []
    args = typing.get_args(ann)
    if args:
        for a in args:
            out += flatten(a)
        return out
    return [ann]


def is_expression(value):
    return isinstance(value, str) and value.startswith("[") and value.endswith("]") and not value.startswith("[[")


def check_scalar(cls, attr, value, path, problems):
    types = [t for t in flatten(annotation(cls, attr)) if t is not type(None)]
    if not types or is_expression(value):
        return
    literals = [t for t in types if isinstance(t, enum.Enum)]
    if literals:
        if str(value).lower() not in [str(t.value).lower() for t in literals]:
            problems.append(f"{path}: {value!r} is not {' or '.join(repr(t.value) for t in literals)}")
        return
    if any(isinstance(t, type) and issubclass(t, Model) for t in types):
        problems.append(f"{path}: expected an object ({cls.__name__}.{attr}), got {type(value).__name__}")
        return
    enums = [t for t in types if isinstance(t, type) and issubclass(t, enum.Enum)]
    if enums and isinstance(value, str):
        allowed = [e.value for en in enums for e in en]
        if value.lower() not in [str(a).lower() for a in allowed]:
            problems.append(f"{path}: {value!r} is not one of {allowed}")
        return
    if types == [int] and (not isinstance(value, int) or isinstance(value, bool)):
        problems.append(f"{path}: expected an integer, got {type(value).__name__}")
    elif types == [bool] and not isinstance(value, bool):
        problems.append(f"{path}: expected a boolean, got {type(value).__name__}")
    elif types == [str] and not isinstance(value, str):
        problems.append(f"{path}: expected a string, got {type(value).__name__}")


def walk(obj, raw, path, problems):
    """Compares the raw JSON `raw` with the model instance `obj` built from it."""
    cls = type(obj)
    known = {field._rest_name: attr for attr, field in cls._attr_to_rest_field.items()}
    for key, value in raw.items():
        here = f"{path}.{key}" if path else key
        attr = known.get(key)
        if attr is None:
            problems.append(f"{here}: not a field of {cls.__name__} (the SDK model does not know it: it would be lost in a round trip)")
            continue
        typed = getattr(obj, attr)
        visit(cls, attr, typed, value, here, problems)


def visit(cls, attr, typed, value, path, problems):
    if isinstance(typed, Model):
        if isinstance(value, dict):
            walk(typed, value, path, problems)
        else:
            problems.append(f"{path}: expected an object, got {type(value).__name__}")
    elif isinstance(value, list):
        if not isinstance(typed, list):
            problems.append(f"{path}: a list where {cls.__name__}.{attr} is not one")
            return
        for i, (t, v) in enumerate(zip(typed, value)):
            here = f"{path}[{i}]"
            if isinstance(t, Model) and isinstance(v, dict):
                walk(t, v, here, problems)
            elif isinstance(v, (dict, list)):
                problems.append(f"{here}: unexpected {type(v).__name__}")
            else:
                element = [x for x in flatten(annotation(cls, attr)) if x is not list]
                if any(isinstance(x, type) and issubclass(x, enum.Enum) for x in element) and isinstance(v, str):
                    allowed = [e.value for x in element if isinstance(x, type) and issubclass(x, enum.Enum) for e in x]
                    if not is_expression(v) and v.lower() not in [str(a).lower() for a in allowed]:
                        problems.append(f"{here}: {v!r} is not one of {allowed}")
    elif isinstance(value, dict):
        # A free-form dictionary (tags): values are not models.
        if not isinstance(typed, dict):
            problems.append(f"{path}: an object where {cls.__name__}.{attr} is not one")
    else:
        check_scalar(cls, attr, value, path, problems)


def main():
    text = open(sys.argv[1]).read() if len(sys.argv) > 1 else sys.stdin.read()
    items = json.loads(text)
    problems = []
    for n, item in enumerate(items):
        label = item.get("label") or f"[{n}] {item.get('model')}"
        cls = getattr(models, item.get("model", ""), None)
        if not (isinstance(cls, type) and issubclass(cls, Model)):
            problems.append(f"{label}: no model {item.get('model')!r} in azure.mgmt.network.models")
            continue
        body = item.get("body")
        if not isinstance(body, dict):
            problems.append(f"{label}: body must be an object")
            continue
        found = []
        try:
            walk(cls(body), body, "", found)
        except Exception as e:  # a body the SDK cannot load at all
            found.append(f"cannot load: {type(e).__name__}: {e}")
        problems += [f"{label}: {p}" for p in found]
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print(f"ok: {len(items)} bodies")


if __name__ == "__main__":
    main()
