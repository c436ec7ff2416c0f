#!/usr/bin/env python3
"""Validate Argo Workflows objects against Argo's published JSON schema, strictly.

    .venv/bin/python scripts/validate/argo.py --schema Tests/Fixtures/argo/argo-workflows-schema.json FILE.yaml...

The schema is argo-workflows' api/jsonschema/schema.json (vendored with its provenance in
Tests/Fixtures/SOURCES.md). Every document whose apiVersion is argoproj.io/v1alpha1 is checked
against the definition of its kind, strictly: objects that list properties reject others (as
`kubectl apply --validate=strict` does for a CRD). Other documents are left to k8s.py and reported
as SKIP. Prints one line per document and exits 1 if any failed or if no Argo object was found.
"""

import argparse
import json
import sys

import jsonschema
import yaml


def strict(schema):
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: strict(v) if k in ("properties", "items", "additionalProperties", "allOf", "anyOf", "oneOf", "not",
                                  "definitions", "patternProperties") or isinstance(v, (dict, list)) and k not in ("enum", "required", "x-kubernetes-group-version-kind") else v
           for k, v in schema.items()}
    if "properties" in schema:
        out["properties"] = {name: strict(s) for name, s in schema["properties"].items()}
        if "additionalProperties" not in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
    if "definitions" in schema:
        out["definitions"] = {name: strict(s) for name, s in schema["definitions"].items()}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schema", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    with open(args.schema) as f:
        schema = json.load(f)
    definitions = strict(schema["definitions"])
    failed, checked = 0, 0
    for path in args.files:
        with open(path) as f:
            docs = [d for d in yaml.safe_load_all(f.read()) if d is not None]
        for doc in docs:
            name = "%s %s" % (doc.get("kind"), (doc.get("metadata") or {}).get("name"))
            if doc.get("apiVersion") != "argoproj.io/v1alpha1":
                print("SKIP %s (%s): not an Argo object" % (path, name))
                continue
            key = "io.argoproj.workflow.v1alpha1." + str(doc.get("kind"))
            if key not in definitions:
                print("ERROR %s (%s): the schema has no %s" % (path, name, key))
                failed += 1
                continue
            root = {"definitions": definitions, "$ref": "#/definitions/" + key}
            errors = sorted(jsonschema.Draft7Validator(root).iter_errors(doc), key=lambda e: list(e.absolute_path))
            checked += 1
            if errors:
                failed += 1
                for e in errors[:10]:
                    print("ERROR %s (%s): %s: %s" % (path, name, "/".join(str(p) for p in e.absolute_path), e.message))
            else:
                print("OK %s (%s)" % (path, name))
    if checked == 0:
        print("ERROR: no Argo object among the files")
        return 1
    print("all Argo objects valid" if failed == 0 else "%d invalid" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
