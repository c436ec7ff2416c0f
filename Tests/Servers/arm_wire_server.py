"""A wire-format test server for Azure Resource Manager (not Azure): an in-memory ARM that answers
as the real one does, for the Swift ARM connector's tests.

Usage: arm_wire_server.py PORT [FIXTURES_DIR]

What it speaks, as ARM and Entra ID do:
- every ARM request needs `Authorization: Bearer <token>` (401 `AuthenticationFailed` otherwise)
  and an `api-version` the resource type supports (400 `MissingApiVersionParameter`,
  `InvalidApiVersionParameter` for a malformed one, `NoRegisteredProviderFound` for one the type
  does not have);
- resource GETs, seeded from Azure REST API examples in FIXTURES_DIR (`parameters` +
  `responses` {"200"|"201": {"body": ...}}), keyed by the body's `id` (case-insensitive);
- collections: resource groups of a subscription, the resources of a resource group (list form:
  envelope only), the children of a resource (`.../agentPools`), all paged `{"value": [...],
  "nextLink": <absolute URL with $skiptoken>}`;
- 404 `ResourceNotFound`, `ResourceGroupNotFound`, `ParentResourceNotFound`, `DeploymentNotFound`;
- the Entra token endpoint `POST /<tenant>/oauth2/v2.0/token` (client credentials, form body),
  401 `invalid_client` for a wrong secret, 400 `unauthorized_client` for an unknown client;
- subscription deployments: `PUT /subscriptions/S/providers/Microsoft.Resources/deployments/NAME`
  answers 201 with `Azure-AsyncOperation` (or `Location`) and `Retry-After: 1`; the operation
  reports `Running` a few times, then `Succeeded` (its resources then exist: resource groups,
  the resources of nested deployments, a cluster's inline agent pools, a VNet's inline subnets) or
  `Failed` with an `error` when the template holds a resource the test marked to fail.

Test controls (no auth): `POST /_test/reset`, `GET /_test/requests` (method, path, query, whether
a token came and its hash: never a token), `POST /_test/faults` {path, count, status, retryAfter},
`POST /_test/fail` {name, code, message}, `POST /_test/clients` {tenant, clientId, secret},
`POST /_test/expire` {tokenHash} (that token then gets 401 `ExpiredAuthenticationToken`),
`GET /subscriptions/{id}/providers/{namespace}` answers a Provider (resource types and their
api-versions) for the namespaces in PROVIDERS. `POST /_test/resources` (an ARM resource body to add), `POST /_test/config` {pageSize,
asyncPolls, asyncHeader: "Azure-AsyncOperation"|"Location"}.

Managed disks and snapshots (GET/PUT/DELETE, `Copy`/`CopyStart`, their async operations, and the
`/_test/compute` controls) are arm_compute.py's.
"""

import copy
import glob
import hashlib
import json
import os
import re
import sys
import threading
import time
import uuid
from urllib.parse import parse_qs, quote, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_server import JSONHandler, serve  # noqa: E402
import arm_compute  # noqa: E402  (issue 14: managed disks and snapshots)

# api-versions each type (else its provider) really supports; lower-case keys.
SUPPORTED_VERSIONS = {
    "microsoft.containerservice": ["2024-05-01", "2024-10-01", "2025-01-01", "2025-08-01", "2025-10-01"],
    "microsoft.network": ["2023-09-01", "2024-01-01", "2024-03-01", "2024-05-01", "2024-07-01", "2024-10-01"],
    "microsoft.resources": ["2021-04-01", "2022-09-01", "2023-07-01", "2024-03-01"],
    "microsoft.managedidentity": ["2023-01-31", "2024-11-30"],
    "microsoft.keyvault": ["2023-07-01", "2024-11-01"],
    "microsoft.compute": ["2024-03-02", "2024-07-01"],
    "microsoft.network/dnszones": ["2018-05-01", "2023-07-01-preview"],
    "microsoft.network/privatednszones": ["2020-06-01", "2024-06-01"],
    "microsoft.network/privatednszones/virtualnetworklinks": ["2020-06-01", "2024-06-01"],
    "microsoft.authorization": ["2022-04-01"],
    "microsoft.insights": ["2015-05-01", "2020-02-02", "2020-02-02-preview"],
}

# What `GET /subscriptions/{id}/providers/{namespace}` answers for the namespaces Standby has no
# table for (a Provider: its resource types and their api-versions, newest first, as ARM lists them).
PROVIDERS = {
    "microsoft.insights": {
        "namespace": "Microsoft.Insights",
        "resourceTypes": [
            {"resourceType": "components", "locations": ["West Europe", "North Europe"],
             "apiVersions": ["2020-02-02-preview", "2020-02-02", "2015-05-01"]},
            {"resourceType": "actionGroups", "locations": ["Global"], "apiVersions": ["2023-01-01", "2022-06-01"]},
        ],
    },
}
DEFAULT_VERSIONS = ["2021-04-01", "2022-09-01", "2023-01-31", "2023-05-01", "2023-07-01", "2023-09-01", "2024-03-01"]
API_VERSION_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}(-preview)?$")


def arm_error(code, message, details=None):
    error = {"code": code, "message": message}
    if details:
        error["details"] = details
    return {"error": error}


class ARMState:
    """Everything the server holds; one lock guards it all."""

    def __init__(self, fixtures_dir):
        self.lock = threading.Lock()
        self.fixtures_dir = fixtures_dir
        self.reset()

    def reset(self):
        self.resources = {}      # lower-case id -> body
        self.deployments = {}    # lower-case id -> deployment record
        self.operations = {}     # operation id -> lower-case deployment id
        self.requests = []
        self.faults = []
        self.fail_marks = {}     # lower-case resource name -> (code, message)
        self.clients = {}        # (tenant, client id) -> sha256 of secret
        self.expired = set()     # token hashes answered with 401 ExpiredAuthenticationToken
        self.page_size = 2
        self.async_polls = 2
        self.async_header = "Azure-AsyncOperation"
        arm_compute.reset(self)  # issue 14: managed disks and snapshots
        if self.fixtures_dir:
            for path in sorted(glob.glob(os.path.join(self.fixtures_dir, "*.json"))):
                with open(path) as f:
                    example = json.load(f)
                responses = example.get("responses", {})
                body = (responses.get("200") or responses.get("201") or {}).get("body")
                if isinstance(body, dict) and isinstance(body.get("id"), str):
                    self.put_resource(body)

    # -- resources ---------------------------------------------------------------------------

    def put_resource(self, body):
        rid = body["id"]
        if not body.get("type"):
            body = dict(body)
            body["type"] = type_of(rid)
        self.resources[rid.lower()] = body
        parts = rid.split("/")
        if len(parts) > 4 and parts[3].lower() == "resourcegroups":
            rg_id = "/".join(parts[:5])
            if rg_id.lower() not in self.resources:
                self.resources[rg_id.lower()] = {
                    "id": "/subscriptions/%s/resourceGroups/%s" % (parts[2], parts[4]),
                    "name": parts[4], "type": "Microsoft.Resources/resourceGroups",
                    "location": body.get("location", "westus"),
                    "properties": {"provisioningState": "Succeeded"},
                }


def type_of(rid):
    """`Microsoft.ContainerService/managedClusters/agentPools` for a resource id; None otherwise."""
    parts = [p for p in rid.split("/") if p]
    lower = [p.lower() for p in parts]
    if "providers" not in lower:
        if len(parts) == 2:
            return "Microsoft.Resources/subscriptions"
        if len(parts) == 4:
            return "Microsoft.Resources/resourceGroups"
        return None
    p = len(lower) - 1 - lower[::-1].index("providers")
    rest = parts[p + 1:]
    if not rest:
        return None
    types = [rest[0]] + [rest[i] for i in range(1, len(rest), 2)]
    return "/".join(types)


def list_entry(body):
    """A resource as a resource-group list shows it: the envelope, no properties."""
    keys = ["id", "name", "type", "location", "tags", "kind", "sku", "identity", "managedBy", "zones"]
    return {k: body[k] for k in keys if k in body}


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


class Handler(JSONHandler):
    content_type = "application/json; charset=utf-8"
    state = None  # set in main

    def extra_headers(self):
        return {"x-ms-request-id": str(uuid.uuid4())}

    def base_url(self):
        return "http://" + (self.headers.get("Host") or "127.0.0.1")

    def do_GET(self):
        self.dispatch("GET")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_POST(self):
        self.dispatch("POST")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def dispatch(self, method):
        split = urlsplit(self.path)
        path = split.path
        query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        body = self.read_body()
        if path.startswith("/_test/"):
            return self.test_control(method, path, body)
        auth = self.headers.get("Authorization") or ""
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        st = self.state
        with st.lock:
            st.requests.append({"method": method, "path": path, "query": query,
                                "token": bool(token), "tokenHash": sha(token)[:16] if token else None,
                                # the system-wide monotonic clock: orders requests across test servers (issue 14)
                                "at": time.monotonic_ns()})
            fault = next((f for f in st.faults if f["path"].lower() == path.lower() and f["count"] > 0), None)
            if fault:
                fault["count"] -= 1
        if fault:
            status = fault["status"]
            code = "SubscriptionRequestsThrottled" if status == 429 else (
                "ServiceUnavailable" if status == 503 else "InternalServerError")
            message = ("Number of requests for subscription exceeded the limit. Please try again after '%s' seconds."
                       % fault.get("retryAfter", "0")) if status == 429 else "The server encountered an internal error."
            headers = {"Retry-After": str(fault["retryAfter"])} if fault.get("retryAfter") is not None else {}
            return self.send_json(status, arm_error(code, message), headers)
        if method == "POST" and re.match(r"^/[^/]+/oauth2/v2\.0/token$", path):
            return self.token_endpoint(path.split("/")[1], body)
        if not token:
            return self.send_json(401, arm_error("AuthenticationFailed",
                                                 "Authentication failed. The 'Authorization' header is missing."),
                                  {"WWW-Authenticate": 'Bearer authorization_uri="https://login.windows.net/", '
                                                       'error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."'})
        with st.lock:
            expired = sha(token)[:16] in st.expired
        if expired:
            return self.send_json(401, arm_error("ExpiredAuthenticationToken",
                                                 "The access token expiry UTC time is earlier than current UTC time."),
                                  {"WWW-Authenticate": 'Bearer error="invalid_token", error_description="The access token has expired."'})
        if not path.lower().startswith("/subscriptions/"):
            return self.send_json(404, arm_error("InvalidResourceNamespace", "The path '%s' is not an ARM path." % path))
        version_error = self.check_api_version(path, query)
        if version_error:
            return self.send_json(400, version_error)
        # -- issue 14: managed disks and snapshots (arm_compute.py) --
        segments = [p for p in path.split("/") if p]
        if arm_compute.handles(method, segments):
            return arm_compute.dispatch(self, method, segments, body)
        # -- end of managed disks and snapshots --
        if method == "GET":
            return self.arm_get(path, query)
        if method == "PUT":
            return self.arm_put(path, body)
        return self.send_json(405, arm_error("MethodNotAllowed", "The method '%s' is not allowed here." % method))

    # -- auth --------------------------------------------------------------------------------

    def token_endpoint(self, tenant, body):
        form = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        st = self.state
        if form.get("grant_type") != "client_credentials":
            return self.send_json(400, {"error": "unsupported_grant_type",
                                        "error_description": "AADSTS70003: The app requested an unsupported grant type."})
        if form.get("scope") != "https://management.azure.com/.default" and not form.get("scope", "").endswith("/.default"):
            return self.send_json(400, {"error": "invalid_scope",
                                        "error_description": "AADSTS70011: The provided value for the input parameter 'scope' is not valid."})
        with st.lock:
            expected = st.clients.get((tenant, form.get("client_id", "")))
        if expected is None:
            return self.send_json(400, {
                "error": "unauthorized_client",
                "error_description": "AADSTS700016: Application with identifier '%s' was not found in the directory '%s'."
                                     % (form.get("client_id", ""), tenant),
                "error_codes": [700016]})
        if sha(form.get("client_secret", "")) != expected:
            return self.send_json(401, {
                "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in "
                                     "the request is the client secret value, not the client secret ID, for a secret "
                                     "added to app '%s'." % form.get("client_id", ""),
                "error_codes": [7000215],
                "error_uri": "https://login.microsoftonline.com/error?code=7000215"})
        return self.send_json(200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                                    "access_token": "sp-" + uuid.uuid4().hex})

    def check_api_version(self, path, query):
        version = query.get("api-version")
        if version is None or version == "":
            return arm_error("MissingApiVersionParameter",
                             "The api-version query parameter (?api-version=) is required for all requests.")
        if not API_VERSION_FORMAT.match(version):
            return arm_error("InvalidApiVersionParameter",
                             "The api-version '%s' is invalid. The supported versions are '%s'."
                             % (version, ",".join(DEFAULT_VERSIONS)))
        rtype = type_of(path.rstrip("/")) or "Microsoft.Resources/resources"
        segments = [p.lower() for p in path.split("/") if p]
        if len(segments) == 4 and segments[2] == "providers":
            rtype = "Microsoft.Resources/providers"
        if "/operationstatuses/" in path.lower() or "/operationresults/" in path.lower():
            rtype = "Microsoft.Resources/deployments"
        namespace = rtype.split("/")[0].lower()
        supported = SUPPORTED_VERSIONS.get(rtype.lower()) or SUPPORTED_VERSIONS.get(namespace, DEFAULT_VERSIONS)
        if version not in supported:
            return arm_error("NoRegisteredProviderFound",
                             "No registered resource provider found for location 'westus' and API version '%s' for "
                             "type '%s'. The supported api-versions are '%s'."
                             % (version, rtype.split("/", 1)[-1], ", ".join(supported)))
        return None

    # -- reads -------------------------------------------------------------------------------

    def arm_get(self, path, query):
        parts = [p for p in path.split("/") if p]
        lower = [p.lower() for p in parts]
        st = self.state
        # deployment operation status / results
        if len(parts) == 8 and lower[2:5] == ["providers", "microsoft.resources", "deployments"] and \
                lower[6] in ("operationstatuses", "operationresults"):
            return self.operation(parts[7], lower[6] == "operationresults")
        if len(parts) == 4 and lower[0] == "subscriptions" and lower[2] == "providers":
            provider = PROVIDERS.get(lower[3])
            if provider is None:
                return self.send_json(404, arm_error("InvalidResourceNamespace",
                                                     "The resource namespace '%s' is invalid." % parts[3]))
            body = {"id": "/subscriptions/%s/providers/%s" % (parts[1], provider["namespace"]),
                    "registrationState": "Registered"} | provider
            return self.send_json(200, body)
        with st.lock:
            if len(parts) == 3 and lower[2] == "resourcegroups":
                sub = "/subscriptions/%s/" % lower[1]
                items = [list_entry(b) | {"properties": b.get("properties", {})} for k, b in sorted(st.resources.items())
                         if k.startswith(sub) and b.get("type", "").lower() == "microsoft.resources/resourcegroups"]
                return self.page(items, path, query)
            if len(parts) >= 4 and lower[2] == "resourcegroups":
                rg_id = "/subscriptions/%s/resourcegroups/%s" % (lower[1], lower[3])
                if rg_id not in st.resources:
                    return self.send_json(404, arm_error("ResourceGroupNotFound",
                                                         "Resource group '%s' could not be found." % parts[3]))
                if len(parts) == 5 and lower[4] == "resources":
                    # top-level resources; role assignments are not resources of a group in ARM's list
                    items = [list_entry(b) for k, b in sorted(st.resources.items())
                             if k.startswith(rg_id + "/providers/") and len(k.split("/")) == 9
                             and not k.startswith(rg_id + "/providers/microsoft.authorization/")]
                    return self.page(items, path, query)
            key = "/".join([""] + lower)
            if key in st.resources:
                return self.send_json(200, st.resources[key])
            if key in st.deployments:
                return self.send_json(200, st.deployments[key]["body"])
            rtype = type_of(path) or ""
            if "providers" in lower and (len(parts) - lower.index("providers")) % 2 == 1:
                # a collection of child resources: .../{type}/{name}/{childType}
                parent = "/".join([""] + lower[:-1])
                if parent not in st.resources:
                    return self.send_json(404, arm_error("ParentResourceNotFound",
                                                         "Can not perform requested operation on nested resource. "
                                                         "Parent resource '%s' not found." % parts[-2]))
                items = [b for k, b in sorted(st.resources.items())
                         if k.startswith(parent + "/" + lower[-1] + "/") and k.count("/") == parent.count("/") + 2]
                return self.page(items, path, query)
            if rtype.lower() == "microsoft.resources/deployments":
                return self.send_json(404, arm_error("DeploymentNotFound", "Deployment '%s' could not be found." % parts[-1]))
            if len(parts) > 8:
                parent = "/".join([""] + lower[:-2])
                if parent not in st.resources:
                    return self.send_json(404, arm_error("ParentResourceNotFound",
                                                         "Can not perform requested operation on nested resource. "
                                                         "Parent resource '%s' not found." % parts[-3]))
            rg = parts[3] if len(parts) > 3 else ""
            return self.send_json(404, arm_error(
                "ResourceNotFound",
                "The Resource '%s/%s' under resource group '%s' was not found. For more details please go to "
                "https://aka.ms/ARMResourceNotFoundFix" % (rtype, parts[-1], rg)))

    def page(self, items, path, query):
        """One page of `items` from `$skiptoken` on (caller holds the lock)."""
        start = int(query.get("$skiptoken") or 0)
        size = self.state.page_size
        body = {"value": items[start:start + size]}
        if start + size < len(items):
            body["nextLink"] = "%s%s?api-version=%s&%%24skiptoken=%d" % (
                self.base_url(), quote(path), query["api-version"], start + size)
        return self.send_json(200, body)

    # -- deployments -------------------------------------------------------------------------

    def arm_put(self, path, raw):
        parts = [p for p in path.split("/") if p]
        lower = [p.lower() for p in parts]
        if not (len(parts) == 6 and lower[2:5] == ["providers", "microsoft.resources", "deployments"]):
            return self.send_json(405, arm_error("MethodNotAllowed", "This server takes PUTs of subscription deployments only."))
        try:
            body = json.loads(raw or b"{}")
        except ValueError as e:
            return self.send_json(400, arm_error("InvalidRequestContent",
                                                 "The request content was invalid and could not be deserialized: '%s'." % e))
        if not body.get("location"):
            return self.send_json(400, arm_error("LocationRequired", "The location property is required for this definition."))
        props = body.get("properties") or {}
        if props.get("mode") not in ("Incremental", "Complete"):
            return self.send_json(400, arm_error("InvalidDeployment", "The deployment mode '%s' is not supported." % props.get("mode")))
        template = props.get("template")
        if not isinstance(template, dict) or not isinstance(template.get("resources"), list):
            return self.send_json(400, arm_error("InvalidTemplate", "Deployment template validation failed: 'The template resources are missing.'"))
        sub, name = parts[1], parts[5]
        dep_id = "/subscriptions/%s/providers/Microsoft.Resources/deployments/%s" % (sub, name)
        try:
            planned = planned_resources(sub, template, body["location"])
        except ValueError as e:
            return self.send_json(400, arm_error("InvalidTemplate", "Deployment template validation failed: '%s'." % e))
        st = self.state
        with st.lock:
            existing = st.deployments.get(dep_id.lower())
            if existing and existing["body"]["properties"]["provisioningState"] == "Running":
                return self.send_json(409, arm_error("DeploymentActive",
                                                     "Unable to edit or replace deployment '%s': previous deployment from "
                                                     "'%s' is still active." % (name, existing["started"])))
            op = uuid.uuid4().hex
            dep_body = {"id": dep_id, "name": name, "type": "Microsoft.Resources/deployments",
                        "location": body["location"],
                        "properties": {"provisioningState": "Accepted", "mode": props["mode"],
                                       "timestamp": "2025-01-01T00:00:00Z", "correlationId": str(uuid.uuid4()),
                                       "templateHash": sha(json.dumps(template, sort_keys=True))[:20]}}
            st.deployments[dep_id.lower()] = {"body": dep_body, "planned": planned, "polls": 0, "started": op,
                                              "status": "Running"}
            st.operations[op] = dep_id.lower()
            kind = "operationResults" if st.async_header == "Location" else "operationStatuses"
            url = "%s%s/%s/%s?api-version=2022-09-01" % (self.base_url(), quote(dep_id), kind, op)
            headers = {st.async_header: url, "Retry-After": "1"}
        return self.send_json(201, dep_body, headers)

    def operation(self, op, as_location):
        st = self.state
        with st.lock:
            dep_key = st.operations.get(op)
            if dep_key is None:
                return self.send_json(404, arm_error("OperationNotFound", "The operation '%s' was not found." % op))
            dep = st.deployments[dep_key]
            if dep["status"] == "Running":
                dep["polls"] += 1
                if dep["polls"] > st.async_polls:
                    self.finish_deployment(dep)
                else:
                    dep["body"]["properties"]["provisioningState"] = "Running"
            status, error = dep["status"], dep.get("error")
        if as_location:
            if status == "Running":
                return self.send_json(202, {}, {"Retry-After": "1"})
            if status == "Failed":
                return self.send_json(400, {"error": error})
            return self.send_json(200, dep["body"])
        body = {"id": op, "status": status}
        if error:
            body["error"] = error
        return self.send_json(200, body, {"Retry-After": "1"} if status == "Running" else {})

    def finish_deployment(self, dep):
        """Creates the planned resources (caller holds the lock); fails on a marked one."""
        st = self.state
        failures = []
        for item in dep["planned"]:
            mark = st.fail_marks.get(item["body"]["name"].lower())
            if mark:
                failures.append((item, mark))
                continue
            st.put_resource(item["body"])
        props = dep["body"]["properties"]
        if failures:
            details = []
            for item, (code, message) in failures:
                inner = {"code": code, "message": message, "target": item["body"]["id"]}
                if item.get("deployment"):
                    details.append({"code": "DeploymentFailed", "target": item["deployment"],
                                    "message": "At least one resource deployment operation failed. Please list "
                                               "deployment operations for details. Please see "
                                               "https://aka.ms/arm-deployment-operations for usage details.",
                                    "details": [inner]})
                else:
                    details.append(inner)
            error = {"code": "DeploymentFailed", "target": dep["body"]["id"],
                     "message": "At least one resource deployment operation failed. Please list deployment operations "
                                "for details. Please see https://aka.ms/arm-deployment-operations for usage details.",
                     "details": details}
            dep["status"], dep["error"] = "Failed", error
            props["provisioningState"] = "Failed"
            props["error"] = error
        else:
            dep["status"] = "Succeeded"
            props["provisioningState"] = "Succeeded"
            props["outputResources"] = [{"id": i["body"]["id"]} for i in dep["planned"]]

    # -- test controls -----------------------------------------------------------------------

    def test_control(self, method, path, raw):
        st = self.state
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return self.send_json(400, {"error": "invalid JSON"})
        with st.lock:
            if path == "/_test/requests" and method == "GET":
                return self.send_json(200, {"requests": st.requests})
            if path == "/_test/reset" and method == "POST":
                st.reset()
                return self.send_json(200, {})
            if path == "/_test/faults" and method == "POST":
                st.faults.append({"path": body["path"], "count": int(body.get("count", 1)),
                                  "status": int(body.get("status", 503)), "retryAfter": body.get("retryAfter")})
                return self.send_json(200, {})
            if path == "/_test/fail" and method == "POST":
                st.fail_marks[body["name"].lower()] = (body.get("code", "BadRequest"),
                                                       body.get("message", "The resource failed to deploy."))
                return self.send_json(200, {})
            if path == "/_test/clients" and method == "POST":
                st.clients[(body["tenant"], body["clientId"])] = sha(body["secret"])
                return self.send_json(200, {})
            if path == "/_test/expire" and method == "POST":
                st.expired.add(body["tokenHash"])
                return self.send_json(200, {})
            if path == "/_test/resources" and method == "POST":
                st.put_resource(body)
                return self.send_json(200, {})
            if path.startswith("/_test/compute") and method == "POST" and arm_compute.test_control(st, path, body):
                return self.send_json(200, {})  # issue 14: managed disks and snapshots
            if path == "/_test/config" and method == "POST":
                st.page_size = int(body.get("pageSize", st.page_size))
                st.async_polls = int(body.get("asyncPolls", st.async_polls))
                st.async_header = body.get("asyncHeader", st.async_header)
                return self.send_json(200, {})
        return self.send_json(404, {"error": "no such test control: %s %s" % (method, path)})


# -- templates ---------------------------------------------------------------------------------

def resource_id(scope, rtype, name):
    """The id of a template resource: `type` a/b/c with `name` x/y → scope/providers/a/b/x/c/y."""
    types = rtype.split("/")
    names = name.split("/")
    if len(types) != len(names) + 1:
        raise ValueError("the resource name '%s' does not fit its type '%s'" % (name, rtype))
    segments = [types[0]]
    for t, n in zip(types[1:], names):
        segments += [t, n]
    return scope + "/providers/" + "/".join(segments)


# -- cluster access (issue 17): extension resources ---------------------------------------------

def extension_scope(scope, resource):
    """The scope of a nested template resource: an extension resource (a role assignment, a
    cluster extension) names the resource it is attached to in `scope`, relative to the resource
    group (`Microsoft.ContainerService/managedClusters/aks`) or as a full id."""
    attached = resource.get("scope")
    if not attached:
        return scope
    if attached.startswith("/"):
        return attached
    return scope + "/providers/" + attached

# -- end of cluster access ----------------------------------------------------------------------


def materialize(rid, resource, location):
    """The body ARM returns for a deployed template resource."""
    body = {"id": rid, "name": rid.split("/")[-1], "type": resource["type"]}
    for k in ("location", "tags", "sku", "kind", "zones", "identity"):
        if k in resource:
            body[k] = copy.deepcopy(resource[k])
    props = copy.deepcopy(resource.get("properties") or {})
    props["provisioningState"] = "Succeeded"
    body["properties"] = props
    return body


def children(rid, resource):
    """What ARM creates beside a resource: a cluster's inline agent pools, a VNet's inline subnets."""
    out = []
    rtype = resource["type"].lower()
    props = resource.get("properties") or {}
    if rtype == "microsoft.containerservice/managedclusters":
        for pool in props.get("agentPoolProfiles") or []:
            pool_props = {k: v for k, v in pool.items() if k != "name"}
            pool_props["provisioningState"] = "Succeeded"
            out.append({"id": rid + "/agentPools/" + pool["name"], "name": pool["name"],
                        "type": "Microsoft.ContainerService/managedClusters/agentPools", "properties": pool_props})
    if rtype == "microsoft.network/virtualnetworks":
        for subnet in props.get("subnets") or []:
            sub_props = copy.deepcopy(subnet.get("properties") or {})
            sub_props["provisioningState"] = "Succeeded"
            out.append({"id": rid + "/subnets/" + subnet["name"], "name": subnet["name"],
                        "type": "Microsoft.Network/virtualNetworks/subnets", "properties": sub_props})
    return out


def planned_resources(sub, template, location):
    """Every resource a subscription-scope template deploys: [{"body", "deployment"}]."""
    planned = []
    for r in template["resources"]:
        rtype = r.get("type", "")
        if rtype.lower() == "microsoft.resources/resourcegroups":
            rid = "/subscriptions/%s/resourceGroups/%s" % (sub, r["name"])
            planned.append({"body": materialize(rid, r, location), "deployment": None})
        elif rtype.lower() == "microsoft.resources/deployments" and r.get("resourceGroup"):
            target_sub = r.get("subscriptionId", sub)
            scope = "/subscriptions/%s/resourceGroups/%s" % (target_sub, r["resourceGroup"])
            nested = "%s/providers/Microsoft.Resources/deployments/%s" % (scope, r["name"])
            inner = ((r.get("properties") or {}).get("template") or {}).get("resources") or []
            for ir in inner:
                rid = resource_id(extension_scope(scope, ir), ir["type"], ir["name"])
                planned.append({"body": materialize(rid, ir, location), "deployment": nested})
                for child in children(rid, ir):
                    planned.append({"body": child, "deployment": nested})
        else:
            rid = resource_id("/subscriptions/%s" % sub, rtype, r["name"])
            planned.append({"body": materialize(rid, r, location), "deployment": None})
    return planned


def main():
    port = int(sys.argv[1])
    fixtures = sys.argv[2] if len(sys.argv) > 2 else None
    Handler.state = ARMState(fixtures)
    serve(port, Handler)


if __name__ == "__main__":
    main()
