"""A wire-format test server for the Kubernetes API: NOT a cluster.

An in-memory object store that answers the requests Standby's Kubernetes connector makes with
the bodies, status codes and headers a real kube-apiserver sends:

* ``GET /version``; discovery: ``GET /api`` (APIVersions), ``/api/v1`` and ``/apis/<g>/<v>``
  (APIResourceList with name, singularName, namespaced, kind, verbs, shortNames, subresources
  listed as ``<plural>/<sub>``), ``/apis`` (APIGroupList with preferredVersion);
* collections (``/api/v1/<plural>``, ``/api/v1/namespaces/<ns>/<plural>``, the same under
  ``/apis/<g>/<v>``) with ``limit`` / ``continue`` paging: ``<Kind>List`` bodies whose items lack
  ``apiVersion``/``kind`` (as real servers send them), ``metadata.continue`` (an opaque base64
  token), ``metadata.resourceVersion``, ``metadata.remainingItemCount``;
* ``GET`` of one object; ``PATCH`` with ``Content-Type: application/apply-patch+yaml`` (server-side
  apply: requires ``fieldManager``, creates when absent (201), merges maps when present (200),
  415 for any other patch type). The body must be JSON (which is YAML); this stdlib-only server
  has no YAML parser, and a non-JSON body gets 400;
* errors as ``Status`` objects (``kind: Status``, ``reason``, ``message``, ``details``, ``code``);
* CustomResourceDefinitions applied through the API are ``Established`` on the second GET of the
  CRD after it was created (so a client must poll), and only then served in discovery and for
  their custom resources; CRDs loaded with ``/_test/seed`` are established at once; a CRD
  annotated ``wire-format-test-server/never-established: "true"`` never is, and one annotated
  ``wire-format-test-server/discovery-lag: "N"`` is missing from the first N reads of its
  group version's discovery document;
* namespaced objects need their Namespace (404 ``namespaces "x" not found`` otherwise);
* readiness, for objects created through the API (seeded objects keep the status they were given):
  a Deployment, StatefulSet or DaemonSet is available, a PersistentVolumeClaim ``Bound``, after
  the readiness delay (``POST /_test/readiness``, default 0 s: at once), or after N reads when
  annotated ``wire-format-test-server/ready-after-reads: "N"``, or only when a test says so
  (``POST /_test/ready``) when annotated ``wire-format-test-server/never-ready: "true"``. A Service
  with a selector gets an ``Endpoints`` object and an ``EndpointSlice`` (label
  ``kubernetes.io/service-name``) whose addresses are ready once a workload of its namespace whose
  pod template labels match the selector is available (or ``POST /_test/ready`` names the
  Service); until then the slice's endpoints are ``ready: false`` and the Endpoints object has
  ``notReadyAddresses`` only, as the endpoint controllers write them;
* the group versions served are configurable (``POST /_test/served``): by default those of a
  1.30 server; the legacy ones (Ingress ``extensions/v1beta1`` and ``networking.k8s.io/v1beta1``,
  HPA ``autoscaling/v2beta2``, PDB ``policy/v1beta1``, CronJob ``batch/v1beta1``) only when asked;
* lists take a ``labelSelector`` of ``key=value`` terms;
* ``DELETE`` of one object (not a CRD) removes it at once (no finalizers, owners or garbage
  collection; a Service's Endpoints and EndpointSlice stay) and answers with it.

Test-only endpoints (not in the request log):

* ``POST /_test/seed`` ``{"items": [objects...]}`` stores objects (apiVersion and kind required);
* ``POST /_test/faults`` ``[{"path": P, "method": M?, "query": Q?, "status": S, "reason": R?,
  "message": T?, "retryAfter": N?, "times": K?}]`` adds rules: the next K (default 1; -1 for
  always) requests whose path is P (and method M, and that carry the query parameter Q) get status
  S with a Status body and, if given, a ``Retry-After`` header. A 410 with ``query: "continue"``
  models an expired continue token;
* ``POST /_test/auth`` ``{"tokenSha256": H}`` requires ``Authorization: Bearer <t>`` with
  sha256(t) == H (401 otherwise); ``{"tokenSha256": null}`` turns the check off;
* ``GET /_test/requests`` the request log: method, path, query (a dict), contentType and
  ``authorization`` ("none", or "Bearer sha256:<hex>" - never the token itself);
* ``POST /_test/readiness`` ``{"delay": S}`` makes objects created from now on ready S seconds after
  they were created;
* ``POST /_test/ready`` ``{"path": P}`` makes the object at API path P ready now (a Service: its
  endpoints);
* ``POST /_test/served`` ``{"groupVersions": [...]}`` serves exactly these built-in group versions
  (``v1`` always; CRDs' own always), ``{"add": [...], "remove": [...]}`` changes the set served
  now, ``{"groupVersions": null}`` restores the default set;
* ``POST /_test/latency`` ``{"seconds": S}`` delays every API answer by S seconds (outside the store's
  lock, so requests in flight overlap as on a real API server across a network);
* ``POST /_test/reset`` forgets objects, faults, CRDs, the auth check, readiness, served versions,
  latency and the log.

Lookups are indexed (resources by group version and plural or kind, objects by collection), so a
request costs the same with 10 or 100,000 objects stored.

The port is ``sys.argv[1]``; it listens on 127.0.0.1 only. With ``--tls CERT KEY CLIENT_CA`` after it,
the same API is also served over TLS on a free port that ``GET /_test/tls`` names; each logged
request then records ``clientCertificate``, the common name of the verified client certificate.
"""

import base64
import copy
import hashlib
import json
import os
import ssl
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_server import JSONHandler, serve  # noqa: E402

ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

# (group, version, plural, singular, kind, namespaced, shortNames, subresources)
BUILT_IN = [
    ("", "v1", "namespaces", "namespace", "Namespace", False, ["ns"], ["status", "finalize"]),
    ("", "v1", "configmaps", "configmap", "ConfigMap", True, ["cm"], []),
    ("", "v1", "secrets", "secret", "Secret", True, [], []),
    ("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", True, ["sa"], ["token"]),
    ("", "v1", "services", "service", "Service", True, ["svc"], ["status", "proxy"]),
    ("", "v1", "pods", "pod", "Pod", True, ["po"], ["status", "log", "exec", "eviction"]),
    ("", "v1", "events", "event", "Event", True, ["ev"], []),
    ("", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", True, ["pvc"], ["status"]),
    ("", "v1", "persistentvolumes", "persistentvolume", "PersistentVolume", False, ["pv"], ["status"]),
    ("", "v1", "nodes", "node", "Node", False, ["no"], ["status", "proxy"]),
    ("", "v1", "componentstatuses", "componentstatus", "ComponentStatus", False, ["cs"], []),
    ("apps", "v1", "deployments", "deployment", "Deployment", True, ["deploy"], ["status", "scale"]),
    ("apps", "v1", "statefulsets", "statefulset", "StatefulSet", True, ["sts"], ["status", "scale"]),
    ("apps", "v1", "daemonsets", "daemonset", "DaemonSet", True, ["ds"], ["status"]),
    ("apps", "v1", "replicasets", "replicaset", "ReplicaSet", True, ["rs"], ["status", "scale"]),
    ("batch", "v1", "jobs", "job", "Job", True, [], ["status"]),
    ("batch", "v1", "cronjobs", "cronjob", "CronJob", True, ["cj"], ["status"]),
    ("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", True, [], []),
    ("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", True, [], []),
    ("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", False, [], []),
    ("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", False, [], []),
    ("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", True, ["ing"], ["status"]),
    ("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", True, ["netpol"], []),
    ("networking.k8s.io", "v1", "ingressclasses", "ingressclass", "IngressClass", False, [], []),
    ("events.k8s.io", "v1", "events", "event", "Event", True, ["ev"], []),
    ("coordination.k8s.io", "v1", "leases", "lease", "Lease", True, [], []),
    ("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
     "CustomResourceDefinition", False, ["crd", "crds"], ["status"]),
    # Added for the restore engine's readiness and version checks (a 1.30 server serves them all).
    ("", "v1", "endpoints", "endpoints", "Endpoints", True, ["ep"], []),
    ("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", True, [], []),
    ("autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", True,
     ["hpa"], ["status"]),
    ("autoscaling", "v1", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", True,
     ["hpa"], ["status"]),
    ("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", True, ["pdb"], ["status"]),
    ("storage.k8s.io", "v1", "storageclasses", "storageclass", "StorageClass", False, ["sc"], []),
    ("scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", False, ["pc"], []),
    ("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "validatingwebhookconfiguration",
     "ValidatingWebhookConfiguration", False, [], []),
    ("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration",
     "MutatingWebhookConfiguration", False, [], []),
]

# Group versions removed from Kubernetes, served only when a test asks (POST /_test/served).
LEGACY = [
    ("extensions", "v1beta1", "ingresses", "ingress", "Ingress", True, ["ing"], ["status"]),
    ("networking.k8s.io", "v1beta1", "ingresses", "ingress", "Ingress", True, ["ing"], ["status"]),
    ("autoscaling", "v2beta2", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", True,
     ["hpa"], ["status"]),
    ("policy", "v1beta1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", True, ["pdb"], ["status"]),
    ("batch", "v1beta1", "cronjobs", "cronjob", "CronJob", True, ["cj"], ["status"]),
]

# Served for discovery only, without list (real servers have such resources).
CREATE_ONLY = [
    ("", "v1", "bindings", "binding", "Binding", True),
    ("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview", False),
]

# A CRD with this annotation set to "true" is never Established (a CRD whose controller is stuck).
NEVER_ESTABLISHED = "wire-format-test-server/never-established"
# A CRD with this annotation set to N is left out of its group version's discovery document the
# first N times it is read once Established (discovery lagging behind, as on busy API servers).
DISCOVERY_LAG = "wire-format-test-server/discovery-lag"
# An object created through the API with this annotation set to "true" becomes ready only by POST /_test/ready.
NEVER_READY = "wire-format-test-server/never-ready"
# ... set to N becomes ready on its N-th read (GET, or an item of a list).
READY_AFTER_READS = "wire-format-test-server/ready-after-reads"
WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet")
SERVICE_NAME_LABEL = "kubernetes.io/service-name"

lock = threading.RLock()


class Resource:
    def __init__(self, group, version, plural, singular, kind, namespaced, short_names=(), subresources=(),
                 verbs=None, crd=None):
        self.group, self.version, self.plural, self.singular = group, version, plural, singular
        self.kind, self.namespaced = kind, namespaced
        self.short_names, self.subresources = list(short_names), list(subresources)
        self.verbs = verbs if verbs is not None else ALL_VERBS
        self.crd = crd  # name of the serving CRD, for custom resources

    @property
    def group_version(self):
        return f"{self.group}/{self.version}" if self.group else self.version


class State:
    def __init__(self):
        self.reset()

    def reset(self):
        self.objects = {}  # (group, plural, namespace or "", name) -> object
        self.collections = {}  # (group, plural) -> set of keys in objects
        self.crds = {}  # CRD name -> CRD object (also in objects)
        self.faults = []
        self.log = []
        self.revision = 100
        self.crd_gets = {}  # CRD name -> GETs since created (establishes on the second)
        self.discovery_gets = {}  # CRD name -> discovery reads of its group version once established
        self.token_sha256 = None
        self.served = None  # None: the default group versions; else a set of group versions
        self.ready_delay = 0.0
        self.latency = 0.0
        self.readiness = {}  # key -> {"created": monotonic time, "reads": n, "forced": bool}
        self.invalidate()

    def invalidate(self):
        """Forgets the resource index (a CRD was stored or established, the served set changed)."""
        self._resources = None
        self._by_plural = {}
        self._by_kind = {}

    def next_revision(self):
        self.revision += 1
        return str(self.revision)

    def put(self, key, obj):
        self.objects[key] = obj
        self.collections.setdefault(key[:2], set()).add(key)
        if key[:2] == ("apiextensions.k8s.io", "customresourcedefinitions"):
            self.crds[key[3]] = obj
            self.invalidate()

    def keys(self, group, plural, namespace=None):
        keys = self.collections.get((group, plural), ())
        return [k for k in keys if namespace is None or k[2] == namespace]

    def serves(self, group, version):
        if self.served is None:
            return True
        return (f"{group}/{version}" if group else version) in self.served or (group == "" and version == "v1")

    # Resources: built in (those served), plus those of established CRDs; indexed once per change.
    def resources(self):
        if self._resources is not None:
            return self._resources
        out = [Resource(*row) for row in BUILT_IN if self.serves(row[0], row[1])]
        if self.served is not None:
            out += [Resource(*row) for row in LEGACY if self.serves(row[0], row[1])]
        for row in CREATE_ONLY:
            out.append(Resource(*row, verbs=["create"]))
        for name in sorted(self.crds):
            crd = self.crds[name]
            if not established(crd):
                continue
            spec = crd.get("spec", {})
            names = spec.get("names", {})
            for v in spec.get("versions", []):
                if not v.get("served", True):
                    continue
                subs = list((v.get("subresources") or {}).keys())
                out.append(Resource(spec.get("group", ""), v.get("name"), names.get("plural"),
                                    names.get("singular", ""), names.get("kind"), spec.get("scope") == "Namespaced",
                                    names.get("shortNames", []), subs, crd=name))
        self._resources = out
        for r in out:
            self._by_plural.setdefault((r.group, r.version, r.plural), r)
            self._by_kind.setdefault((r.group, r.version, r.kind), r)
        return out

    def find(self, group, version, plural):
        self.resources()
        return self._by_plural.get((group, version, plural))

    def find_kind(self, api_version, kind):
        group, _, version = api_version.rpartition("/")
        self.resources()
        return self._by_kind.get((group, version, kind))


def established(crd):
    for c in crd.get("status", {}).get("conditions", []):
        if c.get("type") == "Established":
            return c.get("status") == "True"
    return False


state = State()


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def status_body(code, reason, message, details=None):
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}
    if details is not None:
        body["details"] = details
    return body


def not_found_resource():
    return 404, status_body(404, "NotFound", "the server could not find the requested resource", {})


def crd_conditions(established_now):
    t = now()
    return [
        {"type": "NamesAccepted", "status": "True", "reason": "NoConflicts",
         "message": "no conflicts found", "lastTransitionTime": t},
        {"type": "Established", "status": "True" if established_now else "False",
         "reason": "InitialNamesAccepted" if established_now else "Installing",
         "message": "the initial names have been accepted" if established_now else "the initial names are being installed",
         "lastTransitionTime": t},
    ]


def stamp_new(obj, manager, operation, api_version):
    meta = obj.setdefault("metadata", {})
    meta["uid"] = str(uuid.uuid4())
    meta["creationTimestamp"] = now()
    meta["resourceVersion"] = state.next_revision()
    meta["generation"] = 1
    meta["managedFields"] = [{"manager": manager, "operation": operation, "apiVersion": api_version,
                              "time": now(), "fieldsType": "FieldsV1", "fieldsV1": {}}]


def merge(into, patch):
    """Server-side apply, simplified: maps merge key by key, everything else is replaced."""
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


def with_type(obj, resource):
    out = copy.deepcopy(obj)
    out["apiVersion"] = resource.group_version
    out["kind"] = resource.kind
    return out


def seed(items):
    for obj in items:
        resource = state.find_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
        if resource is None:
            raise ValueError(f"no resource serves {obj.get('apiVersion')} {obj.get('kind')}")
        obj = copy.deepcopy(obj)
        meta = obj.setdefault("metadata", {})
        ns = meta.get("namespace", "default") if resource.namespaced else ""
        if resource.namespaced:
            meta["namespace"] = ns
        stamp_new(obj, "seed", "Update", resource.group_version)
        if resource.kind == "CustomResourceDefinition":
            obj["status"] = {"conditions": crd_conditions(True),
                             "acceptedNames": obj.get("spec", {}).get("names", {})}
        obj.pop("apiVersion", None)
        obj.pop("kind", None)
        state.put((resource.group, resource.plural, ns, meta["name"]), obj)


# MARK: readiness (objects created through the API)

def start_readiness(key, obj, kind):
    """Gives a new workload, claim or Service its not-yet-ready status and starts its clock."""
    if kind not in WORKLOAD_KINDS + ("PersistentVolumeClaim", "Service"):
        return
    state.readiness[key] = {"created": time.monotonic(), "reads": 0, "forced": False}
    if kind == "Service":
        make_endpoints(key, obj)
    else:
        obj["status"] = unready_status(kind, obj)


def is_ready(key, obj):
    entry = state.readiness.get(key)
    if entry is None:
        return True
    if entry["forced"]:
        return True
    annotations = obj.get("metadata", {}).get("annotations", {})
    if annotations.get(NEVER_READY) == "true":
        return False
    if READY_AFTER_READS in annotations:
        return entry["reads"] >= int(annotations[READY_AFTER_READS])
    return time.monotonic() - entry["created"] >= state.ready_delay


def replicas(obj):
    value = obj.get("spec", {}).get("replicas", 1)
    return value if isinstance(value, int) else 1


def unready_status(kind, obj):
    generation = obj.get("metadata", {}).get("generation", 1)
    if kind == "PersistentVolumeClaim":
        return {"phase": "Pending"}
    if kind == "DaemonSet":
        return {"currentNumberScheduled": 1, "desiredNumberScheduled": 1, "numberMisscheduled": 0, "numberReady": 0,
                "numberUnavailable": 1, "observedGeneration": generation, "updatedNumberScheduled": 1}
    n = replicas(obj)
    if kind == "StatefulSet":
        return {"availableReplicas": 0, "currentReplicas": n, "observedGeneration": generation, "replicas": n,
                "updatedReplicas": n, "collisionCount": 0}
    t = now()
    return {"observedGeneration": generation, "replicas": n, "updatedReplicas": n, "unavailableReplicas": n,
            "conditions": [
                {"type": "Available", "status": "False", "lastUpdateTime": t, "lastTransitionTime": t,
                 "reason": "MinimumReplicasUnavailable", "message": "Deployment does not have minimum availability."},
                {"type": "Progressing", "status": "True", "lastUpdateTime": t, "lastTransitionTime": t,
                 "reason": "ReplicaSetUpdated", "message": f'ReplicaSet "{obj["metadata"]["name"]}-5d4f8c7b9" is progressing.'}]}


def ready_status(kind, obj):
    generation = obj.get("metadata", {}).get("generation", 1)
    if kind == "PersistentVolumeClaim":
        spec = obj.get("spec", {})
        return {"phase": "Bound", "accessModes": spec.get("accessModes", ["ReadWriteOnce"]),
                "capacity": {"storage": spec.get("resources", {}).get("requests", {}).get("storage", "1Gi")}}
    if kind == "DaemonSet":
        return {"currentNumberScheduled": 1, "desiredNumberScheduled": 1, "numberAvailable": 1, "numberMisscheduled": 0,
                "numberReady": 1, "observedGeneration": generation, "updatedNumberScheduled": 1}
    n = replicas(obj)
    if kind == "StatefulSet":
        name = obj["metadata"]["name"]
        return {"availableReplicas": n, "currentReplicas": n, "currentRevision": f"{name}-6c9d7b8f5d",
                "observedGeneration": generation, "readyReplicas": n, "replicas": n, "updateRevision": f"{name}-6c9d7b8f5d",
                "updatedReplicas": n, "collisionCount": 0}
    t = now()
    return {"observedGeneration": generation, "replicas": n, "updatedReplicas": n, "readyReplicas": n,
            "availableReplicas": n,
            "conditions": [
                {"type": "Available", "status": "True", "lastUpdateTime": t, "lastTransitionTime": t,
                 "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability."},
                {"type": "Progressing", "status": "True", "lastUpdateTime": t, "lastTransitionTime": t,
                 "reason": "NewReplicaSetAvailable",
                 "message": f'ReplicaSet "{obj["metadata"]["name"]}-5d4f8c7b9" has successfully progressed.'}]}


def kind_of(key):
    return {"deployments": "Deployment", "statefulsets": "StatefulSet", "daemonsets": "DaemonSet",
            "persistentvolumeclaims": "PersistentVolumeClaim", "services": "Service"}.get(key[1])


def observe(key, obj):
    """A read of a workload or claim: counts it, and writes the ready status once it is ready."""
    entry = state.readiness.get(key)
    kind = kind_of(key)
    if entry is None or kind is None or kind == "Service":
        return
    entry["reads"] += 1
    if entry.get("done") or not is_ready(key, obj):
        return
    entry["done"] = True
    if kind == "PersistentVolumeClaim" and not obj.get("spec", {}).get("volumeName"):
        obj.setdefault("spec", {})["volumeName"] = "pvc-" + obj["metadata"]["uid"]
    obj["status"] = ready_status(kind, obj)
    obj["metadata"]["resourceVersion"] = state.next_revision()


def workload_available(key):
    obj = state.objects.get(key)
    if obj is None:
        return False
    if state.readiness.get(key) is None:  # seeded: as its status says
        status = obj.get("status", {})
        return bool(status.get("availableReplicas") or status.get("numberAvailable") or status.get("readyReplicas"))
    return is_ready(key, obj)


def endpoints_ready(service_key, service):
    entry = state.readiness.get(service_key)
    if entry is not None and entry["forced"]:
        return True
    selector = service.get("spec", {}).get("selector") or {}
    if not selector:
        return False
    for plural in ("deployments", "statefulsets", "daemonsets"):
        for key in state.keys("apps", plural, service_key[2]):
            labels = (state.objects[key].get("spec", {}).get("template", {}).get("metadata", {}).get("labels") or {})
            if all(labels.get(k) == v for k, v in selector.items()) and workload_available(key):
                return True
    return False


def make_endpoints(service_key, service):
    """The Endpoints object and EndpointSlice the endpoint controllers write for a Service with a selector."""
    if not (service.get("spec", {}).get("selector") or {}):
        return
    _, _, ns, name = service_key
    for key, obj in ((("", "endpoints", ns, name), {"metadata": {"name": name, "namespace": ns,
                                                                  "labels": {SERVICE_NAME_LABEL: name}}}),
                     (("discovery.k8s.io", "endpointslices", ns, name + "-" + hashlib.sha256(name.encode()).hexdigest()[:5]),
                      {"metadata": {"name": "", "namespace": ns, "generateName": name + "-",
                                    "labels": {SERVICE_NAME_LABEL: name,
                                               "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"},
                                    "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": name,
                                                         "uid": service["metadata"]["uid"], "controller": True,
                                                         "blockOwnerDeletion": True}]},
                       "addressType": "IPv4"})):
        obj["metadata"]["name"] = key[3]
        stamp_new(obj, "endpoint-controller" if key[1] == "endpoints" else "endpointslice-controller", "Update",
                  "v1" if key[1] == "endpoints" else "discovery.k8s.io/v1")
        state.put(key, obj)
    refresh_endpoints(service_key)


def refresh_endpoints(service_key):
    """Writes the Service's Endpoints and EndpointSlice as ready or not ready."""
    service = state.objects.get(service_key)
    if service is None:
        return
    _, _, ns, name = service_key
    ready = endpoints_ready(service_key, service)
    ports = [{"name": p.get("name", ""), "port": p.get("targetPort", p.get("port")), "protocol": p.get("protocol", "TCP")}
             for p in service.get("spec", {}).get("ports", [])]
    ports = [p if p["name"] else {k: v for k, v in p.items() if k != "name"} for p in ports]
    target = {"kind": "Pod", "namespace": ns, "name": name + "-5d4f8c7b9-x2x7k", "uid": "0c6b7bd0-1f0e-4a5e-9f65-6c2d2ad8f3b1"}
    address = {"ip": "10.244.1.17", "nodeName": "aks-nodepool1-12345678-vmss000000", "targetRef": target}
    endpoints = state.objects.get(("", "endpoints", ns, name))
    if endpoints is not None:
        subset = {"addresses" if ready else "notReadyAddresses": [address], "ports": ports}
        if endpoints.get("subsets") != [subset]:
            endpoints["subsets"] = [subset]
            endpoints["metadata"]["resourceVersion"] = state.next_revision()
    for key in state.keys("discovery.k8s.io", "endpointslices", ns):
        slice_ = state.objects[key]
        if slice_.get("metadata", {}).get("labels", {}).get(SERVICE_NAME_LABEL) != name:
            continue
        endpoint = {"addresses": ["10.244.1.17"], "conditions": {"ready": ready, "serving": ready, "terminating": False},
                    "nodeName": "aks-nodepool1-12345678-vmss000000", "targetRef": target}
        if slice_.get("endpoints") != [endpoint]:
            slice_["endpoints"] = [endpoint]
            slice_["ports"] = ports
            slice_["metadata"]["resourceVersion"] = state.next_revision()


def selector_matches(obj, selector):
    labels = obj.get("metadata", {}).get("labels") or {}
    return all(labels.get(k) == v for k, v in selector.items())


def parse_selector(text):
    """``a=b,c==d`` -> dict, or None when a term is not an equality (unsupported here)."""
    out = {}
    for term in filter(None, (t.strip() for t in text.split(","))):
        key, sep, value = term.partition("==") if "==" in term else term.partition("=")
        if not sep or "!" in key:
            return None
        out[key.strip()] = value.strip()
    return out


def parse_path(path):
    """(group, version, segments after the group version) or None."""
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[0] == "api":
        return "", parts[1], parts[2:]
    if len(parts) >= 3 and parts[0] == "apis":
        return parts[1], parts[2], parts[3:]
    return None


class Handler(JSONHandler):
    # MARK: plumbing

    def client_certificate(self):
        """The common name of the TLS client certificate, or None (plain HTTP, or no certificate)."""
        getpeercert = getattr(self.connection, "getpeercert", None)
        peer = getpeercert() if getpeercert else None
        for rdn in (peer or {}).get("subject", ()):
            for key, value in rdn:
                if key == "commonName":
                    return value
        return None

    def authorization(self):
        header = self.headers.get("Authorization")
        if not header:
            return "none"
        scheme, _, credential = header.partition(" ")
        return f"{scheme} sha256:{hashlib.sha256(credential.encode()).hexdigest()}"

    def handle_any(self, method):
        split = urlsplit(self.path)
        path, query = split.path, {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        body = self.read_body() if method in ("POST", "PUT", "PATCH") else b""
        if path.startswith("/_test/"):
            return self.test_endpoint(method, path, body)
        if state.latency > 0:
            time.sleep(state.latency)
        with lock:
            state.log.append({"method": method, "path": path, "query": query,
                              "contentType": self.headers.get("Content-Type"), "authorization": self.authorization(),
                              "clientCertificate": self.client_certificate(),
                              # the system-wide monotonic clock: orders requests across test servers (issue 14)
                              "at": time.monotonic_ns()})
            if state.token_sha256 is not None:
                header = self.headers.get("Authorization") or ""
                scheme, _, credential = header.partition(" ")
                if scheme != "Bearer" or hashlib.sha256(credential.encode()).hexdigest() != state.token_sha256:
                    return self.send_json(401, status_body(401, "Unauthorized", "Unauthorized"))
            fault = self.take_fault(method, path, query)
            if fault is not None:
                code = fault["status"]
                headers = {"Retry-After": str(fault["retryAfter"])} if "retryAfter" in fault else {}
                reason = fault.get("reason", {409: "Conflict", 410: "Expired", 429: "TooManyRequests",
                                              500: "InternalError", 503: "ServiceUnavailable"}.get(code, "Unknown"))
                message = fault.get("message", f"injected {code} for {method} {path}")
                return self.send_json(code, status_body(code, reason, message, fault.get("details", {})), headers)
            code, answer = self.api(method, path, query, body)
            return self.send_json(code, answer)

    def take_fault(self, method, path, query):
        for fault in state.faults:
            if fault.get("path") != path:
                continue
            if fault.get("method") and fault["method"] != method:
                continue
            if fault.get("query") and fault["query"] not in query:
                continue
            if fault.get("times", 1) == 0:
                continue
            if fault.get("times", 1) > 0:
                fault["times"] = fault.get("times", 1) - 1
            return fault
        return None

    def test_endpoint(self, method, path, body):
        with lock:
            if method == "POST" and path == "/_test/reset":
                state.reset()
                return self.send_json(200, {})
            if method == "POST" and path == "/_test/seed":
                try:
                    seed(json.loads(body or b"{}").get("items", []))
                except ValueError as error:
                    return self.send_json(400, {"error": str(error)})
                return self.send_json(200, {})
            if method == "POST" and path == "/_test/faults":
                state.faults.extend(json.loads(body or b"[]"))
                return self.send_json(200, {})
            if method == "POST" and path == "/_test/auth":
                state.token_sha256 = json.loads(body or b"{}").get("tokenSha256")
                return self.send_json(200, {})
            if method == "POST" and path == "/_test/readiness":
                state.ready_delay = float(json.loads(body or b"{}").get("delay", 0))
                return self.send_json(200, {})
            if method == "POST" and path == "/_test/ready":
                return self.force_ready(json.loads(body or b"{}").get("path", ""))
            if method == "POST" and path == "/_test/served":
                request = json.loads(body or b"{}")
                versions = request.get("groupVersions")
                if "add" in request or "remove" in request:
                    base = state.served if state.served is not None else {
                        f"{r[0]}/{r[1]}" if r[0] else r[1] for r in BUILT_IN}
                    state.served = (set(base) - set(request.get("remove", []))) | set(request.get("add", []))
                else:
                    state.served = None if versions is None else set(versions)
                state.invalidate()
                return self.send_json(200, {})
            if method == "POST" and path == "/_test/latency":
                state.latency = float(json.loads(body or b"{}").get("seconds", 0))
                return self.send_json(200, {})
            if method == "GET" and path == "/_test/requests":
                return self.send_json(200, state.log)
            if method == "GET" and path == "/_test/tls":
                return self.send_json(200, {"port": tls_port})
        return self.send_json(404, {"error": "unknown test endpoint"})

    def force_ready(self, path):
        """POST /_test/ready: the object at `path` is ready now (a Service: its endpoints)."""
        parsed = parse_path(path)
        rest = parsed[2] if parsed else []
        if len(rest) == 4 and rest[0] == "namespaces":
            key = (parsed[0], rest[2], rest[1], rest[3])
        elif len(rest) == 2:
            key = (parsed[0], rest[0], "", rest[1])
        else:
            return self.send_json(400, {"error": f"not an object path: {path}"})
        if key not in state.objects:
            return self.send_json(404, {"error": f"no object at {path}"})
        state.readiness.setdefault(key, {"created": time.monotonic(), "reads": 0, "forced": False})["forced"] = True
        if key[1] == "services":
            refresh_endpoints(key)
        return self.send_json(200, {})

    # MARK: the API

    def api(self, method, path, query, body):
        if path == "/version" and method == "GET":
            return 200, {"major": "1", "minor": "30", "gitVersion": "v1.30.0-wire-format-test-server",
                         "platform": "linux/amd64"}
        if path == "/api" and method == "GET":
            return 200, {"kind": "APIVersions", "versions": ["v1"],
                         "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}
        if path == "/apis" and method == "GET":
            return 200, self.group_list()
        parsed = parse_path(path)
        if parsed is None:
            return not_found_resource()
        group, version, rest = parsed
        if not rest:
            return self.resource_list(group, version) if method == "GET" else not_found_resource()

        # [plural] | [plural, name] | [namespaces, ns, plural] | [namespaces, ns, plural, name]
        namespace = None
        if rest[0] == "namespaces" and len(rest) >= 3 and group == "":
            candidate = state.find(group, version, rest[2])
            if candidate is not None and candidate.namespaced:
                namespace, rest = rest[1], rest[2:]
        elif rest[0] == "namespaces" and len(rest) >= 3:
            namespace, rest = rest[1], rest[2:]
        resource = state.find(group, version, rest[0])
        if resource is None or len(rest) > 2:
            return not_found_resource()
        if resource.namespaced != (namespace is not None) and len(rest) == 2:
            return not_found_resource()
        if len(rest) == 1:
            if method != "GET" or "list" not in resource.verbs:
                return 405, status_body(405, "MethodNotAllowed", f"the server does not allow this method on the requested resource")
            return self.list(resource, namespace, query)
        name = rest[1]
        if method == "GET":
            return self.get(resource, namespace, name)
        if method == "PATCH":
            return self.apply(resource, namespace, name, query, body)
        if method == "DELETE" and resource.kind != "CustomResourceDefinition":
            return self.delete(resource, namespace, name)
        return 405, status_body(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")

    # MARK: delete (for verification tests: an object gone after a restore)
    # DELETE of one object (not a CRD, not a collection): removes it at once, with no finalizers,
    # owners or garbage collection, and answers 200 with the object as it was, as the API server
    # does for a delete without finalizers; 404 NotFound when there is none.
    def delete(self, resource, namespace, name):
        key = (resource.group, resource.plural, namespace or "", name)
        obj = state.objects.pop(key, None)
        if obj is None:
            kind = resource.plural + (f".{resource.group}" if resource.group else "")
            return 404, status_body(404, "NotFound", f'{kind} "{name}" not found',
                                    {"name": name, "group": resource.group, "kind": resource.plural})
        state.collections.get(key[:2], set()).discard(key)
        state.readiness.pop(key, None)
        return 200, with_type(obj, resource)
    # MARK: end of delete

    def group_list(self):
        groups = {}
        for r in state.resources():
            if r.group == "":
                continue
            versions = groups.setdefault(r.group, [])
            if r.version not in versions:
                versions.append(r.version)
        out = []
        for name, versions in groups.items():
            entries = [{"groupVersion": f"{name}/{v}", "version": v} for v in versions]
            out.append({"name": name, "versions": entries, "preferredVersion": entries[0]})
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": out}

    def resource_list(self, group, version):
        served = [r for r in state.resources() if r.group == group and r.version == version and not self.lagging(r)]
        if not served:
            return not_found_resource()
        resources = []
        for r in served:
            entry = {"name": r.plural, "singularName": r.singular, "namespaced": r.namespaced, "kind": r.kind,
                     "verbs": r.verbs}
            if r.short_names:
                entry["shortNames"] = r.short_names
            if r.verbs == ALL_VERBS:
                entry["storageVersionHash"] = base64.b64encode(hashlib.sha256(r.plural.encode()).digest()[:8]).decode()
            resources.append(entry)
            for sub in r.subresources:
                resources.append({"name": f"{r.plural}/{sub}", "singularName": "", "namespaced": r.namespaced,
                                  "kind": "Scale" if sub == "scale" else r.kind, "verbs": ["get", "patch", "update"]})
        gv = f"{group}/{version}" if group else version
        return 200, {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}

    def lagging(self, resource):
        """Whether discovery still leaves out a custom resource whose CRD asks for a lag."""
        if resource.crd is None:
            return False
        crd = state.objects.get(("apiextensions.k8s.io", "customresourcedefinitions", "", resource.crd), {})
        lag = int(crd.get("metadata", {}).get("annotations", {}).get(DISCOVERY_LAG, "0"))
        seen = state.discovery_gets.get(resource.crd, 0)
        state.discovery_gets[resource.crd] = seen + 1
        return seen < lag

    def list(self, resource, namespace, query):
        keys = state.keys(resource.group, resource.plural, namespace)
        selector = parse_selector(query.get("labelSelector") or "")
        if selector is None:
            return 400, status_body(400, "BadRequest", "this wire-format test server takes equality label selectors only")
        if selector:
            keys = [k for k in keys if selector_matches(state.objects[k], selector)]
        if resource.plural in ("endpoints", "endpointslices"):
            services = {(k[2], state.objects[k].get("metadata", {}).get("labels", {}).get(SERVICE_NAME_LABEL)) for k in keys}
            for ns, name in services:
                if name:
                    refresh_endpoints(("", "services", ns, name))
        for k in keys:
            observe(k, state.objects[k])
        keys.sort()
        start = 0
        revision = str(state.revision)
        token = query.get("continue")
        if token:
            try:
                decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
                after = tuple(decoded["after"])
                revision = decoded["rv"]
            except Exception:
                return 400, status_body(400, "BadRequest", "continue key is not valid: illegal base64 data")
            start = next((i for i, k in enumerate(keys) if k[2:] > after), len(keys))
        limit = int(query.get("limit") or 0)
        chunk = keys[start:start + limit] if limit > 0 else keys[start:]
        remaining = len(keys) - start - len(chunk)
        meta = {"resourceVersion": revision}
        if remaining > 0:
            last = chunk[-1]
            meta["continue"] = base64.urlsafe_b64encode(json.dumps({"v": "meta.k8s.io/v1", "rv": revision,
                                                                    "after": list(last[2:])}).encode()).decode()
            meta["remainingItemCount"] = remaining
        gv = resource.group_version
        return 200, {"kind": f"{resource.kind}List", "apiVersion": gv, "metadata": meta,
                     "items": [copy.deepcopy(state.objects[k]) for k in chunk]}

    def get(self, resource, namespace, name):
        key = (resource.group, resource.plural, namespace or "", name)
        obj = state.objects.get(key)
        if obj is None:
            kind = resource.plural + (f".{resource.group}" if resource.group else "")
            return 404, status_body(404, "NotFound", f'{kind} "{name}" not found',
                                    {"name": name, "group": resource.group, "kind": resource.plural})
        if resource.kind == "CustomResourceDefinition" and not established(obj):
            state.crd_gets[name] = state.crd_gets.get(name, 0) + 1
            never = obj.get("metadata", {}).get("annotations", {}).get(NEVER_ESTABLISHED) == "true"
            if state.crd_gets[name] >= 2 and not never:
                obj["status"]["conditions"] = crd_conditions(True)
                state.invalidate()
        observe(key, obj)
        if resource.plural == "endpoints":
            refresh_endpoints(("", "services", key[2], name))
        return 200, with_type(obj, resource)

    def apply(self, resource, namespace, name, query, body):
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if content_type != "application/apply-patch+yaml":
            return 415, status_body(415, "UnsupportedMediaType",
                                    f"the body of the request was in an unknown format - accepted media types include: "
                                    f"application/json-patch+json, application/merge-patch+json, "
                                    f"application/apply-patch+yaml, application/strategic-merge-patch+json")
        manager = query.get("fieldManager")
        if not manager:
            return 422, status_body(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: "
                                                    "Required value: is required for apply patch",
                                    {"group": "meta.k8s.io", "kind": "PatchOptions"})
        try:
            patch = json.loads(body)
        except ValueError:
            return 400, status_body(400, "BadRequest", "error decoding YAML: this wire-format test server reads JSON bodies only")
        if not isinstance(patch, dict) or not patch.get("apiVersion") or not patch.get("kind"):
            return 400, status_body(400, "BadRequest", "Object 'Kind' is missing in apply patch")
        meta = patch.setdefault("metadata", {})
        kind_name = resource.plural + (f".{resource.group}" if resource.group else "")
        details = {"name": name, "group": resource.group, "kind": resource.plural}
        if patch["kind"] != resource.kind or patch["apiVersion"] != resource.group_version:
            return 400, status_body(400, "BadRequest",
                                    f"the API version in the data ({patch['apiVersion']}) does not match the expected "
                                    f"API version ({resource.group_version})")
        if meta.get("name") != name:
            return 400, status_body(400, "BadRequest", "the name of the object (%s) does not match the name on the URL (%s)"
                                    % (meta.get("name"), name))
        if resource.namespaced:
            if meta.get("namespace", namespace) != namespace:
                return 400, status_body(400, "BadRequest", "the namespace of the provided object does not match the "
                                                           "namespace sent on the request")
            meta["namespace"] = namespace
            if ("", "namespaces", "", namespace) not in state.objects:
                return 404, status_body(404, "NotFound", f'namespaces "{namespace}" not found',
                                        {"name": namespace, "kind": "namespaces"})
        key = (resource.group, resource.plural, namespace or "", name)
        existing = state.objects.get(key)
        patch.pop("apiVersion", None)
        patch.pop("kind", None)
        if "status" in resource.subresources:
            patch.pop("status", None)  # the main resource ignores status when it has a status subresource
        if existing is None:
            obj = copy.deepcopy(patch)
            obj["metadata"].pop("resourceVersion", None)
            stamp_new(obj, manager, "Apply", resource.group_version)
            if resource.kind == "CustomResourceDefinition":
                obj["status"] = {"conditions": crd_conditions(False),
                                 "acceptedNames": obj.get("spec", {}).get("names", {})}
                state.crd_gets[name] = 0
            state.put(key, obj)
            start_readiness(key, obj, resource.kind)
            return 201, with_type(obj, resource)
        expected = meta.get("resourceVersion")
        if expected and expected != existing["metadata"].get("resourceVersion"):
            return 409, status_body(409, "Conflict", f'Operation cannot be fulfilled on {kind_name} "{name}": the object '
                                                     f'has been modified; please apply your changes to the latest '
                                                     f'version and try again', details)
        meta.pop("resourceVersion", None)
        merge(existing, patch)
        existing["metadata"]["resourceVersion"] = state.next_revision()
        if resource.kind == "CustomResourceDefinition":
            state.invalidate()
        managers = existing["metadata"].setdefault("managedFields", [])
        if not any(m.get("manager") == manager and m.get("operation") == "Apply" for m in managers):
            managers.append({"manager": manager, "operation": "Apply", "apiVersion": resource.group_version,
                             "time": now(), "fieldsType": "FieldsV1", "fieldsV1": {}})
        return 200, with_type(existing, resource)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")


tls_port = None


def serve_tls(certificate, key, client_ca):
    """Serves the same API over TLS on a free port (``GET /_test/tls`` names it): the server's
    certificate and key, and client certificates verified against ``client_ca`` when one is sent."""
    global tls_port
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    context.load_verify_locations(client_ca)
    context.verify_mode = ssl.CERT_OPTIONAL
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    tls_port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()


if __name__ == "__main__":
    ThreadingHTTPServer.daemon_threads = True
    # kube_wire_server.py PORT [--tls CERT KEY CLIENT_CA]
    if len(sys.argv) >= 6 and sys.argv[2] == "--tls":
        serve_tls(sys.argv[3], sys.argv[4], sys.argv[5])
    serve(int(sys.argv[1]), Handler)
