/// Restores the Azure part of a recovery plan: deploys its ``ARMDeployment`` at subscription
/// scope and reports, per recovery id the template creates, what happened.
///
/// Incremental deployments are idempotent, so applying the same plan again is safe: what exists
/// is updated to the template's form, nothing is duplicated. Whether an id existed is asked
/// before deploying (a GET; 404 means it did not).
public struct ARMDeploymentRestore: Sendable {
    /// The client of the recovery subscription.
    public let client: ARMClient
    /// Where ARM keeps the deployment's record (a subscription deployment needs a location).
    public let location: String
    /// The subscription deployment's name; the same name again replaces the record, not the resources.
    public let name: String

    /// A restore deploying as `name` (the subscription deployment's name) in `location`.
    public init(client: ARMClient, location: String, name: String = "standby-recovery") {
        self.client = client
        self.location = location
        self.name = name
    }

    /// Deploys `deployment` and returns one ``ApplyRecord`` per id of `deployment.creates`:
    /// `created` (it did not exist before), `updated` (it did), or, when the deployment failed,
    /// `failed` for all, with ARM's error (naming the failing resource when ARM's details do).
    /// Never throws.
    public func apply(_ deployment: ARMDeployment, progress: any ProgressReporter) -> ApplyReport {
        var existed: [String: Existence] = [:]
        for (index, id) in deployment.creates.enumerated() {
            progress.update("checking what exists in Azure", done: index, total: deployment.creates.count)
            existed[id] = existence(of: id)
        }
        var report = ApplyReport()
        do {
            _ = try client.deploy(name: name, location: location, template: deployment.template,
                                  parameters: deployment.parameters, progress: progress)
        } catch {
            for id in deployment.creates {
                let record = ApplyRecord(target: "azure", kind: kind(of: id), id: id, outcome: .failed,
                                         message: failureMessage(for: id, error: error))
                progress.event(record.description)
                report.append(record)
            }
            progress.finish()
            return report
        }
        for id in deployment.creates {
            let record: ApplyRecord
            switch existed[id] ?? .absent {
            case .absent:
                record = ApplyRecord(target: "azure", kind: kind(of: id), id: id, outcome: .created)
            case .present:
                record = ApplyRecord(target: "azure", kind: kind(of: id), id: id, outcome: .updated,
                                     message: "existed; deployment \(name) updated it (Incremental)")
            case .unknown(let why):
                record = ApplyRecord(target: "azure", kind: kind(of: id), id: id, outcome: .created,
                                     message: "deployed; whether it existed before is unknown: \(why)")
            }
            progress.event(record.description)
            report.append(record)
        }
        progress.finish()
        return report
    }

    enum Existence {
        case absent, present
        case unknown(String)
    }

    private func existence(of id: String) -> Existence {
        do {
            _ = try client.get(id: id)
            return .present
        } catch let error as ARMError where error.status == 404 {
            return .absent
        } catch {
            return .unknown("\(error)")
        }
    }

    private func kind(of id: String) -> String {
        ARMResourceID(id).map { ARMResourceTypes.canonical($0.resourceType) } ?? "Microsoft.Resources/deployments"
    }

    /// The deployment's error, led by this id's own failure when ARM's details name it.
    private func failureMessage(for id: String, error: any Error) -> String {
        guard let arm = error as? ARMError else { return "deployment \(name) failed: \(error)" }
        let key = ARMResourceID(id)?.key
        if let own = arm.details.first(where: { detail in detail.target.flatMap(ARMResourceID.init)?.key == key }) {
            return "this resource failed: \(own.code): \(own.message)"
        }
        var message = "deployment \(name) failed: \(arm.code): \(arm.message)"
        let named = arm.details.map(\.description)
        if !named.isEmpty { message += " — " + named.joined(separator: "; ") }
        return message
    }
}
