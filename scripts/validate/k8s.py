#!/usr/bin/env python3
"""Validate Kubernetes manifests against the official schemas, strictly.

    .venv/bin/python scripts/validate/k8s.py --kubernetes-version 1.30.0 \
        [--crd CRD.yaml]... [--skip-kind KIND]... [--compare-json] FILE.yaml...

Each document of each FILE is checked with kubernetes-validate (the PyPI package) in strict mode:
unknown properties are errors. kubernetes-validate only *warns* about kinds it has no schema for and
exits 0; here that is an error, unless:

- a CustomResourceDefinition given with --crd serves the document's group, version and kind: the
  document is validated against that version's openAPIV3Schema with jsonschema, strictly too
  (objects that list properties reject others unless x-kubernetes-preserve-unknown-fields is set,
  as `kubectl apply --validate=strict` does); or
- its kind is named with --skip-kind: it is reported as SKIP, not validated.

With --compare-json, FILE.yaml is read with PyYAML (YAML 1.1, as kubernetes-validate reads it) and
must equal FILE.json (a JSON array of the documents) exactly, types included: this catches strings
a YAML 1.1 reader takes for booleans, numbers or timestamps.

Prints one line per document (OK, SKIP or ERROR) and exits 1 if any document failed.
"""

import argparse
import json
import os
import sys

import jsonschema
import yaml
from kubernetes_validate import utils as kv


def load_yaml(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f.read()) if d is not None]


def same(a, b):
    """Equality of parsed documents that also compares types: True is not 1, 1 is not 1.0, "1" is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a.keys()) == list(b.keys()) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def first_difference(a, b, path="$"):
    if same(a, b):
        return None
    if isinstance(a, dict) and isinstance(b, dict) and list(a.keys()) == list(b.keys()):
        for k in a:
            d = first_difference(a[k], b[k], "%s.%s" % (path, k))
            if d:
                return d
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, "%s[%d]" % (path, i))
            if d:
                return d
    return "%s: YAML gives %r (%s), JSON %r (%s)" % (path, a, type(a).__name__, b, type(b).__name__)


def strict_schema(schema, root=False):
    """An openAPIV3Schema of a CRD as a JSON schema that rejects unknown properties."""
    if not isinstance(schema, dict):
        return schema
    out = {}
    for k, v in schema.items():
        if k in ("properties", "patternProperties"):
            out[k] = {name: strict_schema(s) for name, s in v.items()}
        elif k in ("items", "additionalProperties", "not") and isinstance(v, dict):
            out[k] = strict_schema(v)
        elif k in ("allOf", "anyOf", "oneOf") and isinstance(v, list):
            out[k] = [strict_schema(s) for s in v]
        else:
            out[k] = v
    if root:
        props = dict(out.get("properties", {}))
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        props.setdefault("metadata", {"type": "object"})
        out["properties"] = props
    if out.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out = {"anyOf": [{"type": "integer"}, {"type": "string"}], **{k: v for k, v in out.items() if k != "anyOf"}}
    if out.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if ("properties" in out and "additionalProperties" not in out
            and not out.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out


def crd_schemas(paths):
    """(group, version, kind) -> strict JSON schema, from the CRDs in `paths`."""
    schemas = {}
    for path in paths:
        for doc in load_yaml(path):
            if doc.get("kind") != "CustomResourceDefinition":
                continue
            spec = doc.get("spec") or {}
            group, kind = spec.get("group"), (spec.get("names") or {}).get("kind")
            for v in spec.get("versions") or []:
                schema = ((v.get("schema") or {}).get("openAPIV3Schema"))
                if group and kind and schema is not None:
                    schemas[(group, v.get("name"), kind)] = strict_schema(schema, root=True)
    return schemas


def name_of(doc):
    meta = doc.get("metadata") or {}
    ns = meta.get("namespace")
    return "%s %s%s" % (doc.get("kind"), ns + "/" if ns else "", meta.get("name"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kubernetes-version", "-k", required=True)
    parser.add_argument("--crd", action="append", default=[], help="a file of CustomResourceDefinitions")
    parser.add_argument("--skip-kind", action="append", default=[], help="a kind not to validate")
    parser.add_argument("--compare-json", action="store_true", help="compare FILE.yaml with FILE.json")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    crds = crd_schemas(args.crd)
    failed = 0
    for path in args.files:
        try:
            docs = load_yaml(path)
        except yaml.YAMLError as e:
            print("ERROR %s: not YAML: %s" % (path, e))
            failed += 1
            continue
        if args.compare_json:
            twin = os.path.splitext(path)[0] + ".json"
            with open(twin) as f:
                expected = json.load(f)
            diff = first_difference(docs, expected)
            if diff:
                print("ERROR %s: YAML and JSON differ at %s" % (path, diff))
                failed += 1
        for doc in docs:
            what = "%s (%s)" % (path, name_of(doc))
            if not isinstance(doc, dict) or "apiVersion" not in doc or "kind" not in doc:
                print("ERROR %s: not a Kubernetes object" % what)
                failed += 1
                continue
            if doc["kind"] in args.skip_kind:
                print("SKIP %s: kind %s is not validated" % (what, doc["kind"]))
                continue
            try:
                kv.validate(doc, args.kubernetes_version, strict=True)
                print("OK %s" % what)
                continue
            except kv.ValidationError as e:
                print("ERROR %s: %s: %s" % (what, ".".join(str(p) for p in e.path), e.message))
                failed += 1
                continue
            except kv.VersionNotSupportedError:
                print("FATAL kubernetes-validate does not know Kubernetes %s" % args.kubernetes_version)
                return 2
            except kv.SchemaNotFoundError:
                pass
            group, _, version = doc["apiVersion"].rpartition("/")
            schema = crds.get((group, version, doc["kind"]))
            if schema is None:
                print("ERROR %s: no schema for %s %s (not built in, and no CRD given)" % (what, doc["apiVersion"], doc["kind"]))
                failed += 1
                continue
            errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
            if errors:
                for e in errors:
                    print("ERROR %s: %s: %s (CRD schema)" % (what, ".".join(str(p) for p in e.path), e.message))
                failed += 1
            else:
                print("OK %s (CRD schema)" % what)
    print("%d document(s) failed" % failed if failed else "all documents valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
