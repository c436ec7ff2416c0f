/// A discovery that could not read everything, refused as a whole: an inventory missing a part
/// (a 503 on one API group's discovery document drops every Deployment) would otherwise be
/// captured, signed and restored as if it were the estate.
///
/// Thrown by ``KubernetesDiscovery``, ``AWSDiscovery`` and ``AzureDiscovery`` after the HTTP
/// client's retries, unless the discovery was asked to be partial (`partial: true`; in Lua
/// `partial = true`); a partial discovery records the same ``InventoryGap``s on the inventory
/// instead.
public struct IncompleteDiscoveryError: Error, Sendable, CustomStringConvertible {
    /// What could not be read, in discovery order.
    public var gaps: [InventoryGap]

    public init(gaps: [InventoryGap]) { self.gaps = gaps }

    public var description: String {
        let sources = gaps.reduce(into: [String]()) { if !$0.contains($1.source) { $0.append($1.source) } }
        let parts = gaps.map { "\($0.what) (\($0.reason))" }.joined(separator: "; ")
        return "discovery of \(sources.joined(separator: ", ")) is incomplete: \(gaps.count == 1 ? "1 part" : "\(gaps.count) parts") could not be read: \(parts). "
            + "No inventory is returned, so none is captured as if whole: fix what failed and run again, or ask for a partial "
            + "discovery (partial = true) to read the rest; the inventory then lists what is missing (its gaps) and a recovery "
            + "point captured from it is marked partial, never restored unless asked for."
    }
}
