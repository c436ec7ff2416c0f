#!/usr/bin/env python3
"""Generates Sources/StandbyCore/Inputs/AzureRESTModels+Table.swift: the REST property names,
read-only flags and api-version of the Azure resource types Standby deploys, read from the Azure
SDK models the tests pin (scripts/validate/requirements.txt: azure-mgmt-containerservice,
azure-mgmt-network).

Run it from the repository root with the repository's .venv after bumping those pins:

    .venv/bin/python scripts/validate/generate_rest_names.py [OUTPUT]

OUTPUT defaults to the file above; the test suite writes to a temporary file and compares, so a
table that no longer matches the pinned models fails the tests.

What it reads:
- each model's REST fields (`_attr_to_rest_field`: the REST key of every python attribute) and
  their visibility (`["read"]` only: read-only);
- each field's type from the annotations (a model, a list of models, a map of models, or a
  scalar/free-form value), as scripts/validate/azure_models.py walks them; a polymorphic model's
  subtypes (`__mapping__`) add their fields to it;
- for each resource type, the api-version the SDK's create-or-update request sends: the version
  whose property set the models describe.

Output: one Swift string literal in a compact line format, parsed by AzureRESTModels.swift:

    api <type> <api-version> <model>      a root resource type
    model <name>                          then one line per field:
     <restName> <kind><Model or .> [r]    kind: '' model/scalar, '[' list of, '{' map of; r read-only
"""
import enum
import inspect
import os
import re
import sys
import typing

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import azure_models  # noqa: E402  (the checker's own type walking)
from importlib import metadata  # noqa: E402

import azure.mgmt.containerservice.models as containerservice  # noqa: E402
import azure.mgmt.network.models as network  # noqa: E402
import azure.mgmt.containerservice.operations._operations as cs_operations  # noqa: E402
import azure.mgmt.network.operations._operations as net_operations  # noqa: E402

# Resource type -> (models package, root model, request builder whose api-version the models describe).
ROOTS = [
    ("Microsoft.ContainerService/managedClusters", containerservice, "ManagedCluster",
     cs_operations, "build_managed_clusters_create_or_update_request"),
    ("Microsoft.ContainerService/managedClusters/agentPools", containerservice, "AgentPool",
     cs_operations, "build_agent_pools_create_or_update_request"),
    ("Microsoft.ContainerService/managedClusters/maintenanceConfigurations", containerservice, "MaintenanceConfiguration",
     cs_operations, "build_maintenance_configurations_create_or_update_request"),
    ("Microsoft.ContainerService/snapshots", containerservice, "Snapshot",
     cs_operations, "build_snapshots_create_or_update_request"),
    ("Microsoft.Network/virtualNetworks", network, "VirtualNetwork",
     net_operations, "build_virtual_networks_create_or_update_request"),
    ("Microsoft.Network/virtualNetworks/subnets", network, "Subnet",
     net_operations, "build_subnets_create_or_update_request"),
    ("Microsoft.Network/networkSecurityGroups", network, "NetworkSecurityGroup",
     net_operations, "build_network_security_groups_create_or_update_request"),
    ("Microsoft.Network/applicationSecurityGroups", network, "ApplicationSecurityGroup",
     net_operations, "build_application_security_groups_create_or_update_request"),
    ("Microsoft.Network/publicIPAddresses", network, "PublicIPAddress",
     net_operations, "build_public_ip_addresses_create_or_update_request"),
    ("Microsoft.Network/publicIPPrefixes", network, "PublicIPPrefix",
     net_operations, "build_public_ip_prefixes_create_or_update_request"),
    ("Microsoft.Network/routeTables", network, "RouteTable",
     net_operations, "build_route_tables_create_or_update_request"),
    ("Microsoft.Network/natGateways", network, "NatGateway",
     net_operations, "build_nat_gateways_create_or_update_request"),
    ("Microsoft.Network/applicationGateways", network, "ApplicationGateway",
     net_operations, "build_application_gateways_create_or_update_request"),
    ("Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", network, "WebApplicationFirewallPolicy",
     net_operations, "build_web_application_firewall_policies_create_or_update_request"),
    ("Microsoft.Network/azureFirewalls", network, "AzureFirewall",
     net_operations, "build_azure_firewalls_create_or_update_request"),
    ("Microsoft.Network/firewallPolicies", network, "FirewallPolicy",
     net_operations, "build_firewall_policies_create_or_update_request"),
    ("Microsoft.Network/firewallPolicies/ruleCollectionGroups", network, "FirewallPolicyRuleCollectionGroup",
     net_operations, "build_firewall_policy_rule_collection_groups_create_or_update_request"),
]

OUTPUT = os.path.join("Sources", "StandbyCore", "Inputs", "AzureRESTModels+Table.swift")


def api_version(module, builder):
    source = inspect.getsource(getattr(module, builder))
    found = re.search(r'_params\.pop\("api-version", "([0-9]{4}-[0-9]{2}-[0-9]{2}[^"]*)"\)', source)
    if not found:
        raise SystemExit(f"no api-version default in {builder}")
    return found.group(1)


def prefix(package):
    return "cs" if package is containerservice else "net"


def is_model(t):
    return isinstance(t, type) and issubclass(t, azure_models.MODEL_BASES)


def shape(cls, attr):
    """('' | '[' | '{', model class or None) of field `attr`."""
    ann, owner = azure_models.annotation(cls, attr)
    package = azure_models.package_of(owner)
    kind = ""

    def unwrap(a):
        nonlocal kind
        origin = typing.get_origin(a)
        args = [x for x in typing.get_args(a) if x is not type(None)]
        if origin in (list, typing.List) and args:
            kind = kind or "["
            return unwrap(args[0])
        if origin in (dict, typing.Dict) and len(args) == 2:
            kind = kind or "{"
            return unwrap(args[1])
        if origin is typing.Union and len(args) == 1:
            return unwrap(args[0])
        return a

    inner = unwrap(ann)
    models = [t for t in azure_models.flatten(inner, package) if is_model(t)]
    return kind, (models[0] if models else None)


def subtypes(cls):
    """The subtypes a discriminator selects (each polymorphic base holds its own `__mapping__`)."""
    out = []
    for sub in cls.__dict__.get("__mapping__", {}).values():
        if sub is not cls and sub not in out:
            out.append(sub)
            out += [s for s in subtypes(sub) if s not in out]
    return out


def fields(cls):
    """REST field name -> (kind, model, read-only), subtypes' fields included."""
    out = {}
    for c in [cls] + subtypes(cls):
        c({})  # the SDK computes _attr_to_rest_field on first instantiation
        for attr, rf in c._attr_to_rest_field.items():
            kind, model = shape(c, attr)
            readonly = azure_models.is_readonly(rf)
            name = rf._rest_name
            if name in out:
                old = out[name]
                out[name] = (old[0] or kind, old[1] or model, old[2] and readonly)
            else:
                out[name] = (kind, model, readonly)
    return out


def main():
    lines = []
    seen = {}
    queue = []

    def key(cls):
        return f"{prefix(azure_models.package_of(cls))}.{cls.__name__}"

    def want(cls):
        k = key(cls)
        if k not in seen:
            seen[k] = cls
            queue.append(cls)
        return k

    for type_, package, model, module, builder in ROOTS:
        cls = getattr(package, model)
        lines.append(f"api {type_} {api_version(module, builder)} {want(cls)}")
    models = []
    while queue:
        cls = queue.pop(0)
        entries = []
        for name, (kind, model, readonly) in sorted(fields(cls).items()):
            target = want(model) if model is not None else "."
            entries.append(f" {name} {kind}{target}" + (" r" if readonly else ""))
        models.append((key(cls), entries))
    for name, entries in sorted(models):
        lines.append(f"model {name}")
        lines += entries
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("azure-mgmt-containerservice", "azure-mgmt-network"))
    text = "\n".join(lines)
    swift = (
        "// Generated by scripts/validate/generate_rest_names.py from the Azure SDK models\n"
        f"// ({versions}). Do not edit: change the pins in scripts/validate/requirements.txt and rerun it.\n\n"
        "extension AzureRESTModels {\n"
        f"    static let packages = \"{versions}\"\n\n"
        "    static let table = #\"\"\"\n"
        f"{text}\n"
        "\"\"\"#\n"
        "}\n"
    )
    output = sys.argv[1] if len(sys.argv) > 1 else OUTPUT
    with open(output, "w") as f:
        f.write(swift)
    print(f"{output}: {len(ROOTS)} resource types, {len(models)} models, {sum(len(e) for _, e in models)} fields")


if __name__ == "__main__":
    main()
