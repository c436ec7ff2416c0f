"""Managed disks and snapshots (issue 14) for arm_wire_server.py: `Microsoft.Compute/disks` and
`Microsoft.Compute/snapshots` GET/PUT/DELETE as the Compute REST API answers them (shapes from the
azure-rest-api-specs DiskRP examples vendored in Tests/Fixtures/real/volumes/ and the
azure-mgmt-compute models), not Azure.

What it speaks:
- PUT of a snapshot with `creationData.createOption: Copy` from a disk or snapshot in the same
  location (an incremental snapshot when `incremental: true`), or `CopyStart` from an incremental
  snapshot in another location (the cross-region copy; it must itself be incremental); PUT of a
  disk with `createOption: Copy` (or `Empty`, with `diskSizeGB`) from a snapshot whose copy is
  complete. A missing source is 404 `NotFound`; a body ARM refuses is 400 `InvalidParameter` or
  `BadRequest`, naming the property in `target`. The resource group must exist
  (404 `ResourceGroupNotFound`).
- Each accepted PUT answers 202 with the resource (`provisioningState: Updating`; a CopyStart copy
  with `completionPercent: 0`), `Azure-AsyncOperation` (`.../providers/Microsoft.Compute/locations/
  {location}/DiskOperations/{id}`), `Location` (the same with `monitor=true`) and `Retry-After`.
  Polling the operation answers `InProgress` `copyPolls` times (a copy's `completionPercent`
  rising meanwhile), then `Succeeded` (the resource `Succeeded`, `timeCreated` set, a copy at 100)
  or `Failed` with the `error` the test asked for (the resource `Failed`). The `Location` URL
  answers 202 while in progress, then 200 (204 for a delete).
- DELETE answers 202 with the same headers (the resource goes when the operation ends), or 204
  when there is no such resource.

Test controls (no auth): `POST /_test/compute` {copyPolls, retryAfter} and
`POST /_test/compute/fail` {name, code, message}: the operation of the PUT of the snapshot or disk
`name` (or `resourceGroup/name`, for one of two of that name) ends `Failed` with that error.
"""

import copy
import datetime
import json
import uuid
from urllib.parse import quote

COMPUTE_TYPES = ("disks", "snapshots")


def reset(state):
    state.compute = {"ops": {}, "fail": {}, "copyPolls": 2, "retryAfter": "1"}


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "0+00:00")


def location_key(s):
    return (s or "").lower().replace(" ", "")


def compute_path(parts):
    """(subscription, resource group, type, name) for `/subscriptions/S/resourceGroups/G/providers/
    Microsoft.Compute/{disks|snapshots}/N`, else None."""
    lower = [p.lower() for p in parts]
    if len(parts) == 8 and lower[0] == "subscriptions" and lower[2] == "resourcegroups" and \
            lower[4] == "providers" and lower[5] == "microsoft.compute" and lower[6] in COMPUTE_TYPES:
        return parts[1], parts[3], lower[6], parts[7]
    return None


def operation_path(parts):
    lower = [p.lower() for p in parts]
    if len(parts) == 8 and lower[0] == "subscriptions" and lower[2] == "providers" and \
            lower[3] == "microsoft.compute" and lower[4] == "locations" and lower[6] == "diskoperations":
        return parts[7]
    return None


def handles(method, parts):
    if operation_path(parts) and method == "GET":
        return True
    return compute_path(parts) is not None and method in ("PUT", "DELETE")


def dispatch(handler, method, parts, raw):
    """Answers a compute request (the caller checked auth and api-version)."""
    op = operation_path(parts)
    if op:
        return poll(handler, op, handler.path)
    sub, rg, kind, name = compute_path(parts)
    if method == "DELETE":
        return delete(handler, sub, rg, kind, name)
    try:
        body = json.loads(raw or b"{}")
    except ValueError as e:
        return handler.send_json(400, error("InvalidRequestContent",
                                            "The request content was invalid and could not be deserialized: '%s'." % e))
    return put(handler, sub, rg, kind, name, body)


def empty(handler, status, headers=None):
    """An answer with no body (202 of a delete, 204)."""
    handler.send_response(status)
    handler.send_header("Content-Length", "0")
    for k, v in {**handler.extra_headers(), **(headers or {})}.items():
        handler.send_header(k, v)
    handler.end_headers()


def error(code, message, target=None):
    e = {"code": code, "message": message}
    if target:
        e["target"] = target
    return {"error": e}


def slashed(rid):
    return rid if rid.startswith("/") else "/" + rid


def start_operation(handler, sub, location, record):
    """Registers an operation (caller holds the lock); its headers."""
    st = handler.state
    op = str(uuid.uuid4())
    st.compute["ops"][op] = record | {"polls": 0, "status": "InProgress", "started": now()}
    base = "%s/subscriptions/%s/providers/Microsoft.Compute/locations/%s/DiskOperations/%s" % (
        handler.base_url(), sub, quote(location_key(location)), op)
    return {"Azure-AsyncOperation": base + "?p=" + op[:8] + "&api-version=2024-03-02",
            "Location": base + "?p=" + op[:8] + "&monitor=true&api-version=2024-03-02",
            "Retry-After": st.compute["retryAfter"]}


def put(handler, sub, rg, kind, name, body):
    st = handler.state
    rid = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Compute/%s/%s" % (sub, rg, kind, name)
    rtype = "Microsoft.Compute/" + kind
    props = body.get("properties") or {}
    creation = props.get("creationData") or {}
    option = creation.get("createOption")
    if not body.get("location"):
        return handler.send_json(400, error("LocationRequired", "The location property is required for this definition."))
    if not option:
        return handler.send_json(400, error("InvalidParameter", "Required parameter 'createOption' is missing (null).",
                                            "creationData.createOption"))
    with st.lock:
        rg_id = "/subscriptions/%s/resourcegroups/%s" % (sub.lower(), rg.lower())
        if rg_id not in st.resources:
            return handler.send_json(404, error("ResourceGroupNotFound", "Resource group '%s' could not be found." % rg))
        existing = st.resources.get(rid.lower())
        if existing and existing["properties"].get("provisioningState") == "Updating":
            return handler.send_json(409, error("OperationNotAllowed",
                                                "An operation is in progress on %s '%s'." % (kind[:-1], name)))
        source = None
        if option in ("Copy", "CopyStart"):
            source_id = creation.get("sourceResourceId")
            if not source_id:
                return handler.send_json(400, error("InvalidParameter", "Required parameter 'sourceResourceId' is missing "
                                                    "(null).", "creationData.sourceResourceId"))
            source = st.resources.get(slashed(source_id).lower())
            if source is None:
                return handler.send_json(404, error("NotFound", "Resource %s is not found." % slashed(source_id),
                                                    "creationData.sourceResourceId"))
        problem = refusal(kind, option, body, props, source)
        if problem:
            return handler.send_json(400, error(problem[0], problem[1], problem[2]))
        resource = {"id": rid, "name": name, "type": rtype, "location": body["location"]}
        for k in ("tags", "sku", "zones"):
            if k in body:
                resource[k] = copy.deepcopy(body[k])
        rprops = copy.deepcopy(props)
        rprops["provisioningState"] = "Updating"
        if source is not None:
            sprops = source.get("properties") or {}
            for k in ("diskSizeGB", "diskSizeBytes"):
                if k in sprops and k not in rprops:
                    rprops[k] = sprops[k]
        if option == "CopyStart":
            rprops["completionPercent"] = 0.0
        rprops["uniqueId"] = str(uuid.uuid4())
        resource["properties"] = rprops
        if kind == "snapshots" and "sku" not in resource:
            resource["sku"] = {"name": "Standard_LRS", "tier": "Standard"}
        st.resources[rid.lower()] = resource
        headers = start_operation(handler, sub, body["location"], {"id": rid, "action": "put", "copy": option == "CopyStart"})
    return handler.send_json(202, resource, headers)


def refusal(kind, option, body, props, source):
    """What ARM refuses in a PUT (code, message, target), or None."""
    here = location_key(body["location"])
    if option == "Copy":
        stype = (source.get("type") or "").lower()
        if location_key(source.get("location")) != here:
            return ("BadRequest", "The source resource %s is in location '%s': a Copy must be in the same location; "
                    "use CopyStart to copy across regions." % (source["id"], source.get("location")),
                    "creationData.sourceResourceId")
        if kind == "disks" and stype != "microsoft.compute/snapshots" and stype != "microsoft.compute/disks":
            return ("InvalidParameter", "The source of a disk copy must be a snapshot or a disk.", "creationData.sourceResourceId")
        sprops = source.get("properties") or {}
        if sprops.get("provisioningState") != "Succeeded" or sprops.get("completionPercent", 100) < 100:
            return ("BadRequest", "The source %s is not ready: its copy has not completed." % source["id"],
                    "creationData.sourceResourceId")
        return None
    if option == "CopyStart":
        if kind != "snapshots":
            return ("InvalidParameter", "CopyStart is only supported for snapshots.", "creationData.createOption")
        if (source.get("type") or "").lower() != "microsoft.compute/snapshots" or \
                not (source.get("properties") or {}).get("incremental"):
            return ("BadRequest", "CopyStart is only supported from an incremental snapshot.", "creationData.sourceResourceId")
        if location_key(source.get("location")) == here:
            return ("BadRequest", "CopyStart copies a snapshot to another region; the source is in '%s'."
                    % source.get("location"), "location")
        if not props.get("incremental"):
            return ("BadRequest", "A snapshot copied with CopyStart must be incremental.", "properties.incremental")
        return None
    if option == "Empty":
        if kind == "disks" and not props.get("diskSizeGB"):
            return ("InvalidParameter", "Required parameter 'diskSizeGB' is missing (null).", "diskSizeGB")
        return None
    return ("InvalidParameter", "This server creates disks and snapshots with Copy, CopyStart or Empty, not '%s'."
            % option, "creationData.createOption")


def delete(handler, sub, rg, kind, name):
    st = handler.state
    rid = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Compute/%s/%s" % (sub, rg, kind, name)
    with st.lock:
        existing = st.resources.get(rid.lower())
        if existing is None:
            return empty(handler, 204)
        headers = start_operation(handler, sub, existing.get("location", ""), {"id": rid, "action": "delete", "copy": False})
    return empty(handler, 202, headers)


def poll(handler, op, full_path):
    st = handler.state
    monitor = "monitor=true" in full_path
    with st.lock:
        record = st.compute["ops"].get(op)
        if record is None:
            return handler.send_json(404, error("NotFound", "The operation '%s' was not found." % op))
        if record["status"] == "InProgress":
            finish(st, record)
        status = record["status"]
        resource = st.resources.get(record["id"].lower())
        body = {"startTime": record["started"], "status": status, "name": op}
        if status != "InProgress":
            body["endTime"] = record.get("ended")
        if status == "Failed":
            body["error"] = record["error"]
        elif status == "Succeeded" and record["action"] == "put" and resource is not None:
            body["properties"] = {"output": resource}
        retry = st.compute["retryAfter"]
    if monitor:
        if status == "InProgress":
            return empty(handler, 202, {"Retry-After": retry})
        if record["action"] == "delete":
            return empty(handler, 204)
        if status == "Failed":
            return handler.send_json(400, {"error": record["error"]})
        return handler.send_json(200, resource)
    return handler.send_json(200, body, {"Retry-After": retry} if status == "InProgress" else {})


def finish(st, record):
    """One poll of an operation in progress (caller holds the lock)."""
    record["polls"] += 1
    resource = st.resources.get(record["id"].lower())
    polls = st.compute["copyPolls"]
    if record["polls"] <= polls:
        if record["copy"] and resource is not None:
            resource["properties"]["completionPercent"] = round(100.0 * record["polls"] / (polls + 1), 1)
        return
    record["ended"] = now()
    parts = record["id"].lower().split("/")
    mark = st.compute["fail"].get(parts[4] + "/" + parts[-1]) or st.compute["fail"].get(parts[-1])
    if record["action"] == "delete":
        st.resources.pop(record["id"].lower(), None)
        record["status"] = "Succeeded"
        return
    if mark:
        record["status"] = "Failed"
        record["error"] = {"code": mark[0], "message": mark[1]}
        if resource is not None:
            resource["properties"]["provisioningState"] = "Failed"
        return
    record["status"] = "Succeeded"
    if resource is not None:
        resource["properties"]["provisioningState"] = "Succeeded"
        resource["properties"]["timeCreated"] = now()
        if record["copy"]:
            resource["properties"]["completionPercent"] = 100.0


def test_control(state, path, body):
    """Answers a `/_test/compute...` control (caller holds the lock): True when it was one."""
    if path == "/_test/compute":
        state.compute["copyPolls"] = int(body.get("copyPolls", state.compute["copyPolls"]))
        state.compute["retryAfter"] = str(body.get("retryAfter", state.compute["retryAfter"]))
        return True
    if path == "/_test/compute/fail":
        state.compute["fail"][body["name"].lower()] = (
            body.get("code", "InternalDiskManagementError"),
            body.get("message", "An internal disk management error occurred."))
        return True
    return False
