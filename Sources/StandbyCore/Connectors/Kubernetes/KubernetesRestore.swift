import Foundation

/// Applies a ``KubernetesRestoreSet`` to a live cluster by server-side apply, in restore order.
///
/// For each manifest, in the set's order (``RestoreOrder``: CRDs first, then namespaces, … custom
/// resources, webhooks last):
/// 1. its resource (plural name, namespaced or not) is found by discovery of its `apiVersion`;
///    discovery is read again after CRDs were created, so the custom resources of a new CRD resolve;
/// 2. the object is read: absent (404) → applied (`created`); present → left alone under
///    ``ExistingPolicy/skip`` (`skipped`, "exists") or applied under ``ExistingPolicy/update``
///    (`updated`);
/// 3. apply is `PATCH <object path>?fieldManager=<ours>&force=true` with
///    `Content-Type: application/apply-patch+yaml` and the manifest as JSON (which is YAML);
/// 4. after applying a CustomResourceDefinition, the CRD is read every ``pollInterval`` seconds
///    until its `Established` condition is `True`. When that does not happen within
///    ``crdTimeout`` seconds, the CRD's record is `failed`, and so is every custom resource of its
///    group and kind, without a request ("not attempted: CRD … not Established").
///
/// An object still holding sealed values (a recovery point opened without its recovery key) is
/// never applied: it fails, saying how to open the point. An API error (409 Conflict, 422
/// Invalid, 403 Forbidden …) fails that one object, with the
/// `Status` reason and message; the restore goes on with the next. Nothing throws. A namespaced
/// manifest without `metadata.namespace` goes to the context's namespace, else `default`.
public struct KubernetesRestore {
    public var connection: KubeConnection
    public var policy: ExistingPolicy
    /// The field manager our applies own fields as.
    public var fieldManager: String
    /// Seconds to wait for a new CRD to be Established.
    public var crdTimeout: Double
    /// Seconds between two reads of a CRD waiting to be Established.
    public var pollInterval: Double

    public init(connection: KubeConnection, policy: ExistingPolicy = .skip, fieldManager: String = "standby",
                crdTimeout: Double = 60, pollInterval: Double = 1) {
        self.connection = connection; self.policy = policy; self.fieldManager = fieldManager
        self.crdTimeout = crdTimeout; self.pollInterval = pollInterval
    }

    static let crdGroup = "apiextensions.k8s.io"

    /// Applies every manifest of `set`, in order; one record per manifest.
    public func apply(_ set: KubernetesRestoreSet, progress: any ProgressReporter) -> ApplyReport {
        var run = Run(restore: self, client: KubeAPIClient(connection: connection))
        var report = ApplyReport()
        let phase = "applying to \(set.cluster)"
        for (index, manifest) in set.manifests.enumerated() {
            progress.update(phase, done: index, total: set.manifests.count)
            let record = run.apply(manifest.document)
            if record.outcome != .skipped { progress.event(record.description) }
            report.append(record)
        }
        progress.update(phase, done: set.manifests.count, total: set.manifests.count)
        progress.finish()
        return report
    }

    /// The state of one restore: discovery read so far and the CRDs that did not become Established.
    private struct Run {
        let restore: KubernetesRestore
        let client: KubeAPIClient
        var resolver = KubeResourceResolver()
        /// A CRD was applied since discovery was last read.
        var crdsAppliedSinceDiscovery = false
        /// Group and kind of the custom resources of a CRD that failed → the CRD's name.
        var failedCRDs: [KubeScope.GroupKind: String] = [:]
        /// Group and kind of the custom resources of the CRDs this restore applied and saw Established.
        var establishedCRDs: Set<KubeScope.GroupKind> = []

        init(restore: KubernetesRestore, client: KubeAPIClient) {
            self.restore = restore
            self.client = client
        }

        mutating func apply(_ document: JSONValue) -> ApplyRecord {
            let apiVersion = document["apiVersion"]?.stringValue ?? ""
            let kind = document["kind"]?.stringValue ?? ""
            let name = document["metadata"]?["name"]?.stringValue ?? ""
            let namespace = document["metadata"]?["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            let label = apiVersion.isEmpty && kind.isEmpty ? "object" : "\(apiVersion) \(kind)".trimmingCharacters(in: .whitespaces)
            func record(_ outcome: ApplyOutcome, id: String, _ message: String = "") -> ApplyRecord {
                ApplyRecord(target: "kubernetes", kind: label, id: id, outcome: outcome, message: message)
            }
            let shownID = namespace.map { "\($0)/\(name)" } ?? name
            guard !apiVersion.isEmpty, !kind.isEmpty, !name.isEmpty else {
                return record(.failed, id: shownID, "the manifest has no apiVersion, kind or metadata.name")
            }
            if let sealed = KubernetesRestore.sealedPath(in: document) {
                return record(.failed, id: shownID, "not applied: \(sealed) is still sealed (the recovery point was opened "
                    + "without its recovery key): open it with point:selection{ recovery_key = ... } or { kms = true }")
            }
            let group = KubeRef.split(apiVersion: apiVersion).group
            if let crd = failedCRDs[KubeScope.GroupKind(group: group, kind: kind)] {
                return record(.failed, id: shownID, "not attempted: CRD \(crd) not Established")
            }
            do {
                guard let resource = try resolve(apiVersion: apiVersion, kind: kind) else {
                    return record(.failed, id: shownID, "the server does not serve \(apiVersion) \(kind)")
                }
                var body = document
                var target: String?
                if resource.namespaced {
                    target = namespace ?? restore.connection.namespace ?? "default"
                    if namespace == nil { body.set([.key("metadata"), .key("namespace")], .string(target!)) }
                }
                let id = target.map { "\($0)/\(name)" } ?? name
                let path = resource.objectPath(namespace: target, name: name)
                let exists = try self.exists(path)
                if exists && restore.policy == .skip { return record(.skipped, id: id, "exists") }
                _ = try client.apply(path, object: body, fieldManager: restore.fieldManager)
                let outcome: ApplyOutcome = exists ? .updated : .created
                if group == KubernetesRestore.crdGroup && kind == "CustomResourceDefinition" {
                    crdsAppliedSinceDiscovery = true
                    let served = KubernetesRestore.servedGroupKind(ofCRD: document)
                    if let problem = waitUntilEstablished(path: path, name: name) {
                        if let served { failedCRDs[served] = name }
                        return record(.failed, id: id, problem)
                    }
                    if let served { establishedCRDs.insert(served) }
                }
                return record(outcome, id: id)
            } catch let error as KubeAPIError {
                return record(.failed, id: shownID, error.summary)
            } catch {
                return record(.failed, id: shownID, "\(error)")
            }
        }

        /// The resource of `apiVersion` and `kind`, reading discovery again once when CRDs were
        /// applied since it was read.
        ///
        /// A kind served by a CRD applied in this restore may show in discovery a moment after
        /// the CRD is Established; discovery is then read every ``pollInterval`` for up to
        /// ``crdTimeout`` seconds.
        mutating func resolve(apiVersion: String, kind: String) throws -> KubeAPIResource? {
            if let resource = try resolver.resource(apiVersion: apiVersion, kind: kind, client: client) { return resource }
            guard crdsAppliedSinceDiscovery else { return nil }
            crdsAppliedSinceDiscovery = false
            let ownCRD = establishedCRDs.contains(KubeScope.GroupKind(group: KubeRef.split(apiVersion: apiVersion).group, kind: kind))
            let deadline = Date().addingTimeInterval(restore.crdTimeout)
            while true {
                resolver.refresh()
                if let resource = try resolver.resource(apiVersion: apiVersion, kind: kind, client: client) { return resource }
                guard ownCRD, Date().addingTimeInterval(restore.pollInterval) <= deadline else { return nil }
                Thread.sleep(forTimeInterval: restore.pollInterval)
            }
        }

        /// Whether the object at `path` exists (200) or not (404); other answers throw.
        func exists(_ path: String) throws -> Bool {
            do {
                _ = try client.send("GET", path)
                return true
            } catch let error as KubeAPIError where error.status == 404 {
                return false
            }
        }

        /// Nil once the CRD at `path` is Established, else why not.
        func waitUntilEstablished(path: String, name: String) -> String? {
            let deadline = Date().addingTimeInterval(restore.crdTimeout)
            while true {
                do {
                    let crd = try client.get(path)
                    let conditions = crd["status"]?["conditions"]?.arrayValue ?? []
                    func condition(_ type: String) -> JSONValue? { conditions.first { $0["type"]?.stringValue == type } }
                    if condition("Established")?["status"]?.stringValue == "True" { return nil }
                    if let names = condition("NamesAccepted"), names["status"]?.stringValue == "False" {
                        return "CRD \(name) not Established: its names were not accepted: \(names["message"]?.stringValue ?? "")"
                    }
                } catch let error as KubeAPIError {
                    return "CRD \(name) not Established: reading it failed: \(error.summary)"
                } catch {
                    return "CRD \(name) not Established: reading it failed: \(error)"
                }
                if Date().addingTimeInterval(restore.pollInterval) > deadline {
                    return "CRD \(name) not Established within \(KubernetesRestore.seconds(restore.crdTimeout))"
                }
                Thread.sleep(forTimeInterval: restore.pollInterval)
            }
        }
    }

    /// The path of the first value still sealed in `document` (a recovery point's
    /// `{"$standby.encrypted": …}` placeholder, left by opening the point without its key), or nil.
    /// Such an object is never applied: the cluster would get the placeholder as its value.
    static func sealedPath(in document: JSONValue, at path: String = "") -> String? {
        switch document {
        case .object(let o):
            if o[PointFormat.encryptedKey] != nil { return path.isEmpty ? "the object" : path }
            for (key, value) in o.pairs {
                if let found = sealedPath(in: value, at: path.isEmpty ? key : path + "." + key) { return found }
            }
        case .array(let items):
            for (n, item) in items.enumerated() {
                if let found = sealedPath(in: item, at: "\(path)[\(n)]") { return found }
            }
        case .string(let text):
            // An encrypted label or annotation read without the key is the placeholder's JSON text.
            if text.hasPrefix("{\"\(PointFormat.encryptedKey)\"") { return path }
        default: break
        }
        return nil
    }

    /// The group and kind of the custom resources a CRD serves.
    static func servedGroupKind(ofCRD crd: JSONValue) -> KubeScope.GroupKind? {
        guard let group = crd["spec"]?["group"]?.stringValue, let kind = crd["spec"]?["names"]?["kind"]?.stringValue else { return nil }
        return KubeScope.GroupKind(group: group, kind: kind)
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
