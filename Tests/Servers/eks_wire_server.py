"""A wire-format test server for the EKS API operations moto does not serve (not AWS): access
entries and their access policies, EKS Pod Identity associations and managed add-ons, in memory.
Every other request (clusters, node groups, Fargate profiles…) is forwarded unchanged to a moto
server, so the rest of EKS stays on moto.

Usage: eks_wire_server.py PORT MOTO_ENDPOINT

Shapes come from botocore's EKS service model (pip package botocore, in the repository's .venv):
- every request's JSON body and its path and query members are checked against the operation's
  input shape (unknown members, wrong types, values outside an enum, missing required members):
  400 `ValidationException`, as EKS answers;
- every answer this server builds is checked against the operation's output shape the same way
  before it is sent; an answer that does not match is a bug of this server: 500
  `WireServerShapeError`, which no test lets pass.
Timestamps go on the wire as epoch seconds, as EKS sends them (REST-JSON).

What it speaks, as EKS does:
- the cluster named in the path must exist (asked of moto, with the request's own headers):
  404 `ResourceNotFoundException` otherwise; its ARN gives the account and region;
- `CreateCluster` is forwarded; the `accessConfig` it carries is remembered (moto keeps none) and
  added to moto's `DescribeCluster` and `CreateCluster` answers, defaulting `authenticationMode`
  to `CONFIG_MAP` and `bootstrapClusterCreatorAdminPermissions` to true as EKS does;
- access entries need `API` or `API_AND_CONFIG_MAP` (400 `InvalidRequestException`), one per
  principal (409 `ResourceInUseException`); `EC2_LINUX`, `EC2_WINDOWS` and `FARGATE_LINUX` entries
  take no user name or groups and no access policies; EKS's default user names are given;
- `AssociateAccessPolicy` takes `arn:aws:eks::aws:cluster-access-policy/…` policies; a `namespace`
  scope needs namespaces, a `cluster` scope has none; associating a policy again replaces its scope;
- one pod identity association per service account (409); an add-on's `podIdentityAssociations`
  become associations it owns (`ownerArn`);
- one add-on per name (409); `CreateAddon` answers `CREATING`, `DescribeAddon` `ACTIVE`.

Test control: `GET /_test/requests` (method, path and operation of each request this server
answered itself).
"""

import json
import os
import random
import string
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import parse_qs, unquote, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_server import JSONHandler, serve  # noqa: E402

import botocore.session  # noqa: E402

MODEL = botocore.session.get_session().get_service_model("eks")
LOCK = threading.Lock()
STATE = {"access": {}, "entries": {}, "policies": {}, "associations": {}, "addons": {}, "requests": []}
UPSTREAM = ""
SYSTEM_TYPES = {"EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "EC2", "HYBRID_LINUX", "HYPERPOD_LINUX"}


class EKSError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


# MARK: - Shapes

def check(value, shape, path, problems):
    """Appends to `problems` every way `value` (JSON as on the wire) does not fit `shape`."""
    t = shape.type_name
    if t == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object for {shape.name}")
            return
        members = {s.serialization.get("name", n): (n, s) for n, s in shape.members.items()
                   if s.serialization.get("location") in (None, "")}
        for k, v in value.items():
            if k not in members:
                problems.append(f"{path}.{k}: not a member of {shape.name}")
            elif v is not None:
                check(v, members[k][1], f"{path}.{k}", problems)
    elif t == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list")
            return
        for i, v in enumerate(value):
            check(v, shape.member, f"{path}[{i}]", problems)
    elif t == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a map")
            return
        for k, v in value.items():
            check(v, shape.value, f"{path}.{k}", problems)
    elif t == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: expected a string")
        elif shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not one of {shape.enum}")
    elif t == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected a boolean")
    elif t in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path}: expected an integer")
    elif t == "timestamp":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(f"{path}: expected epoch seconds")


def check_input(operation, body, uri, query):
    """Problems of a request: its body members, and its required members wherever they go."""
    shape = MODEL.operation_model(operation).input_shape
    problems = []
    check(body, shape, operation, problems)
    present = set(body)
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "uri" and wire in uri:
            present.add(name)
        if location == "querystring" and wire in query:
            present.add(name)
    for name in shape.required_members:
        if name not in present:
            problems.append(f"{operation}: required member {name} is missing")
    return problems


# MARK: - Helpers

def now():
    return round(time.time(), 3)


def arn_parts(arn):
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return {"partition": parts[1], "service": parts[2], "region": parts[3], "account": parts[4], "resource": parts[5]}


def principal_kind(arn):
    p = arn_parts(arn)
    if not p or p["service"] != "iam" or not p["account"]:
        return None
    kind = p["resource"].split("/", 1)[0]
    return kind if kind in ("role", "user") else None


def short_id():
    return "a-" + "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(17))


class Handler(JSONHandler):
    # MARK: Forwarding

    def forward(self, method, body):
        request = urllib.request.Request(UPSTREAM + self.path, data=body if method in ("POST", "PUT", "PATCH") else None,
                                         method=method)
        for k, v in self.headers.items():
            if k.lower() not in ("host", "content-length", "connection", "accept-encoding"):
                request.add_header(k, v)
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def relay(self, status, headers, data):
        self.send_response(status)
        for k, v in headers.items():
            if k.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def cluster_arn(self, name):
        """The cluster's ARN, asked of moto; 404 when it does not exist."""
        request = urllib.request.Request(f"{UPSTREAM}/clusters/{name}", method="GET")
        for k, v in self.headers.items():
            if k.lower() not in ("host", "content-length", "connection", "content-type", "accept-encoding"):
                request.add_header(k, v)
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return json.loads(r.read())["cluster"]["arn"]
        except urllib.error.HTTPError:
            raise EKSError(404, "ResourceNotFoundException", f"No cluster found for name: {name}.")

    # MARK: Dispatch

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def do_PUT(self):
        self.handle_any("PUT")

    def handle_any(self, method):
        body = self.read_body()
        url = urlsplit(self.path)
        segments = [unquote(s) for s in url.path.split("/")[1:]]
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/_test/requests":
            with LOCK:
                self.send_json(200, {"requests": STATE["requests"]})
            return
        route = self.route(method, segments)
        if route is None:
            self.plain_forward(method, body, segments)
            return
        operation, handler, uri = route
        with LOCK:
            STATE["requests"].append({"method": method, "path": url.path, "operation": operation})
        try:
            data = json.loads(body) if body.strip() else {}
            if not isinstance(data, dict):
                raise EKSError(400, "ValidationException", "the request body is not a JSON object")
            problems = check_input(operation, data, uri, query)
            if problems:
                raise EKSError(400, "ValidationException", "; ".join(problems))
            arn = self.cluster_arn(uri["name"])
            with LOCK:
                answer = handler(self, arn, uri, query, data)
            problems = []
            check(answer, MODEL.operation_model(operation).output_shape, operation, problems)
            if problems:
                self.send_json(500, {"message": "this server's answer does not fit botocore's model: " + "; ".join(problems)},
                               {"x-amzn-ErrorType": "WireServerShapeError"})
                return
            self.send_json(200, answer)
        except EKSError as e:
            self.send_json(e.status, {"message": e.message}, {"x-amzn-ErrorType": e.code})

    def route(self, method, s):
        """(operation, handler, uri members) for the paths this server answers; None → moto."""
        if len(s) < 3 or s[0] != "clusters":
            return None
        uri = {"name": s[1]}
        if s[2] == "access-entries":
            if len(s) == 3:
                return ("ListAccessEntries", Handler.list_entries, uri) if method == "GET" else \
                    ("CreateAccessEntry", Handler.create_entry, uri) if method == "POST" else None
            uri["principalArn"] = s[3]
            if len(s) == 4 and method == "GET":
                return "DescribeAccessEntry", Handler.describe_entry, uri
            if len(s) == 5 and s[4] == "access-policies":
                return ("ListAssociatedAccessPolicies", Handler.list_policies, uri) if method == "GET" else \
                    ("AssociateAccessPolicy", Handler.associate_policy, uri) if method == "POST" else None
            return None
        if s[2] == "pod-identity-associations":
            if len(s) == 3:
                return ("ListPodIdentityAssociations", Handler.list_associations, uri) if method == "GET" else \
                    ("CreatePodIdentityAssociation", Handler.create_association, uri) if method == "POST" else None
            if len(s) == 4 and method == "GET":
                uri["associationId"] = s[3]
                return "DescribePodIdentityAssociation", Handler.describe_association, uri
            return None
        if s[2] == "addons":
            if len(s) == 3:
                return ("ListAddons", Handler.list_addons, uri) if method == "GET" else \
                    ("CreateAddon", Handler.create_addon, uri) if method == "POST" else None
            if len(s) == 4 and method == "GET":
                uri["addonName"] = s[3]
                return "DescribeAddon", Handler.describe_addon, uri
        return None

    def plain_forward(self, method, body, segments):
        """Forwards to moto; remembers and adds the `accessConfig` moto drops."""
        status, headers, data = self.forward(method, body)
        is_create = method == "POST" and segments == ["clusters"]
        is_describe = method == "GET" and len(segments) == 2 and segments[0] == "clusters"
        if (is_create or is_describe) and 200 <= status < 300:
            answer = json.loads(data)
            cluster = answer.get("cluster") or {}
            arn = cluster.get("arn")
            with LOCK:
                if is_create and arn:
                    sent = (json.loads(body) if body.strip() else {}).get("accessConfig") or {}
                    STATE["access"][arn] = {
                        "authenticationMode": sent.get("authenticationMode", "CONFIG_MAP"),
                        "bootstrapClusterCreatorAdminPermissions": sent.get("bootstrapClusterCreatorAdminPermissions", True),
                    }
                access = STATE["access"].get(arn)
            if access is not None:
                cluster["accessConfig"] = {"authenticationMode": access["authenticationMode"],
                                           "bootstrapClusterCreatorAdminPermissions": access["bootstrapClusterCreatorAdminPermissions"]}
                data = json.dumps(answer).encode()
        self.relay(status, headers, data)

    # MARK: Access entries

    def require_api(self, arn):
        mode = STATE["access"].get(arn, {}).get("authenticationMode", "CONFIG_MAP")
        if mode not in ("API", "API_AND_CONFIG_MAP"):
            raise EKSError(400, "InvalidRequestException", "The cluster's authentication mode must be set to one of "
                           "[API, API_AND_CONFIG_MAP] to perform this operation.")

    def entry(self, arn, principal):
        e = STATE["entries"].get((arn, principal))
        if e is None:
            raise EKSError(404, "ResourceNotFoundException", f"The specified access entry resource is not found on cluster "
                           f"{arn.split('/')[-1]}.")
        return e

    def list_entries(self, arn, uri, query, body):
        self.require_api(arn)
        return {"accessEntries": sorted(p for (c, p) in STATE["entries"] if c == arn)}

    def create_entry(self, arn, uri, query, body):
        self.require_api(arn)
        principal = body["principalArn"]
        kind = principal_kind(principal)
        if kind is None:
            raise EKSError(400, "InvalidParameterException", f"The principalArn parameter format is not valid: {principal}")
        if (arn, principal) in STATE["entries"]:
            raise EKSError(409, "ResourceInUseException", f"The specified access entry resource is already in use on this cluster.")
        entry_type = body.get("type", "STANDARD")
        if entry_type in SYSTEM_TYPES and (body.get("username") or body.get("kubernetesGroups")):
            raise EKSError(400, "InvalidParameterException", f"username and kubernetesGroups cannot be specified for type {entry_type}")
        p = arn_parts(principal)
        name = p["resource"].split("/")[-1]
        cluster = arn.split("/")[-1]
        c = arn_parts(arn)
        if entry_type == "EC2_LINUX" or entry_type == "EC2_WINDOWS":
            username, groups = "system:node:{{EC2PrivateDNSName}}", ["system:nodes"]
        elif entry_type == "FARGATE_LINUX":
            username, groups = "system:node:{{SessionName}}", ["system:bootstrappers", "system:nodes", "system:node-proxier"]
        else:
            default = f"arn:{p['partition']}:sts::{p['account']}:assumed-role/{name}/{{{{SessionName}}}}" if kind == "role" else principal
            username, groups = body.get("username", default), body.get("kubernetesGroups", [])
        at = now()
        entry = {"clusterName": cluster, "principalArn": principal, "kubernetesGroups": groups,
                 "accessEntryArn": f"arn:{c['partition']}:eks:{c['region']}:{c['account']}:access-entry/{cluster}/{kind}/"
                                   f"{p['account']}/{name}/{uuid.uuid4()}",
                 "createdAt": at, "modifiedAt": at, "tags": body.get("tags", {}), "username": username, "type": entry_type}
        STATE["entries"][(arn, principal)] = entry
        return {"accessEntry": entry}

    def describe_entry(self, arn, uri, query, body):
        self.require_api(arn)
        return {"accessEntry": self.entry(arn, uri["principalArn"])}

    def list_policies(self, arn, uri, query, body):
        self.require_api(arn)
        e = self.entry(arn, uri["principalArn"])
        policies = STATE["policies"].get((arn, uri["principalArn"]), {})
        return {"clusterName": e["clusterName"], "principalArn": e["principalArn"],
                "associatedAccessPolicies": [policies[k] for k in sorted(policies)]}

    def associate_policy(self, arn, uri, query, body):
        self.require_api(arn)
        e = self.entry(arn, uri["principalArn"])
        if e["type"] != "STANDARD":
            raise EKSError(400, "InvalidRequestException", f"Access policies cannot be associated with access entries of type {e['type']}.")
        policy = body["policyArn"]
        if not policy.startswith("arn:aws:eks::aws:cluster-access-policy/"):
            raise EKSError(400, "InvalidParameterException", f"The policyArn parameter format is not valid: {policy}")
        scope = body["accessScope"]
        namespaces = scope.get("namespaces") or []
        if scope.get("type") == "namespace" and not namespaces:
            raise EKSError(400, "InvalidParameterException", "namespaces must be specified for a namespace access scope")
        if scope.get("type") == "cluster" and namespaces:
            raise EKSError(400, "InvalidParameterException", "namespaces cannot be specified for a cluster access scope")
        policies = STATE["policies"].setdefault((arn, uri["principalArn"]), {})
        at = now()
        previous = policies.get(policy)
        policies[policy] = {"policyArn": policy, "accessScope": {"type": scope["type"], "namespaces": namespaces},
                            "associatedAt": previous["associatedAt"] if previous else at, "modifiedAt": at}
        return {"clusterName": e["clusterName"], "principalArn": e["principalArn"], "associatedAccessPolicy": policies[policy]}

    # MARK: Pod identity associations

    def association(self, arn, association_id):
        a = STATE["associations"].get((arn, association_id))
        if a is None:
            raise EKSError(404, "ResourceNotFoundException", f"Association {association_id} not found.")
        return a

    def new_association(self, arn, namespace, service_account, role, tags=None, owner=None, extra=None):
        for (c, _), a in STATE["associations"].items():
            if c == arn and a["namespace"] == namespace and a["serviceAccount"] == service_account:
                raise EKSError(409, "ResourceInUseException",
                               f"Association already exists: {a['associationId']} for {namespace}/{service_account}")
        if principal_kind(role) != "role":
            raise EKSError(400, "InvalidParameterException", f"The roleArn parameter format is not valid: {role}")
        c = arn_parts(arn)
        cluster = arn.split("/")[-1]
        association_id = short_id()
        at = now()
        a = {"clusterName": cluster, "namespace": namespace, "serviceAccount": service_account, "roleArn": role,
             "associationArn": f"arn:{c['partition']}:eks:{c['region']}:{c['account']}:podidentityassociation/{cluster}/{association_id}",
             "associationId": association_id, "tags": tags or {}, "createdAt": at, "modifiedAt": at,
             "disableSessionTags": False}
        if owner:
            a["ownerArn"] = owner
        a.update(extra or {})
        STATE["associations"][(arn, association_id)] = a
        return a

    def list_associations(self, arn, uri, query, body):
        out = []
        for (c, _), a in sorted(STATE["associations"].items(), key=lambda kv: kv[1]["createdAt"]):
            if c != arn:
                continue
            if "namespace" in query and a["namespace"] != query["namespace"]:
                continue
            if "serviceAccount" in query and a["serviceAccount"] != query["serviceAccount"]:
                continue
            summary = {k: a[k] for k in ("clusterName", "namespace", "serviceAccount", "associationArn", "associationId")}
            if "ownerArn" in a:
                summary["ownerArn"] = a["ownerArn"]
            out.append(summary)
        return {"associations": out}

    def create_association(self, arn, uri, query, body):
        extra = {k: body[k] for k in ("disableSessionTags", "targetRoleArn", "policy") if k in body}
        return {"association": self.new_association(arn, body["namespace"], body["serviceAccount"], body["roleArn"],
                                                    body.get("tags"), extra=extra)}

    def describe_association(self, arn, uri, query, body):
        return {"association": self.association(arn, uri["associationId"])}

    # MARK: Add-ons

    def list_addons(self, arn, uri, query, body):
        return {"addons": sorted(n for (c, n) in STATE["addons"] if c == arn)}

    def create_addon(self, arn, uri, query, body):
        name = body["addonName"]
        if (arn, name) in STATE["addons"]:
            raise EKSError(409, "ResourceInUseException", f"Addon already exists: {name}")
        c = arn_parts(arn)
        cluster = arn.split("/")[-1]
        addon_arn = f"arn:{c['partition']}:eks:{c['region']}:{c['account']}:addon/{cluster}/{name}/{uuid.uuid4()}"
        owned = []
        for p in body.get("podIdentityAssociations", []):
            namespace = (body.get("namespaceConfig") or {}).get("namespace", "kube-system")
            owned.append(self.new_association(arn, namespace, p["serviceAccount"], p["roleArn"], owner=addon_arn)["associationArn"])
        at = now()
        addon = {"addonName": name, "clusterName": cluster, "status": "CREATING",
                 "addonVersion": body.get("addonVersion", "v1.0.0-eksbuild.1"), "health": {"issues": []},
                 "addonArn": addon_arn, "createdAt": at, "modifiedAt": at, "tags": body.get("tags", {})}
        for k in ("serviceAccountRoleArn", "configurationValues"):
            if k in body:
                addon[k] = body[k]
        if owned:
            addon["podIdentityAssociations"] = owned
        if body.get("namespaceConfig"):
            addon["namespaceConfig"] = {"namespace": body["namespaceConfig"]["namespace"]}
        STATE["addons"][(arn, name)] = addon
        return {"addon": dict(addon)}

    def describe_addon(self, arn, uri, query, body):
        addon = STATE["addons"].get((arn, uri["addonName"]))
        if addon is None:
            raise EKSError(404, "ResourceNotFoundException", f"No addon: {uri['addonName']} found in cluster: {arn.split('/')[-1]}")
        addon["status"] = "ACTIVE"
        return {"addon": addon}


if __name__ == "__main__":
    UPSTREAM = sys.argv[2].rstrip("/")
    serve(int(sys.argv[1]), Handler)
