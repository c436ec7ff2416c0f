/// Text that cannot hold a cloud reference: a quick test that spares most strings of a document
/// (object keys, names, labels) the reference scanners.
///
/// Every reference ``ReferenceRewriter`` rewrites holds a trigger byte — `/` (ARM ids), `:` (ARNs),
/// `.` (registry and vault hosts), `-` (AWS ids, GUIDs, AWS regions) or a digit (account ids, ECR
/// registries) — except a source name that has none (an Azure location such as `westeurope`).
/// So when every source name holds one, a string without any is skipped unread.
enum PlainText {
    private static let triggers: [Bool] = (0..<256).map { b in
        (b >= 48 && b <= 57) || b == 0x2F || b == 0x3A || b == 0x2D || b == 0x2E
    }

    /// Whether `b` holds a trigger byte.
    static func hasTrigger(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in b where triggers[Int(c)] { return true }
        return false
    }

    /// Whether every name holds a trigger byte (so skipping plain text skips no match).
    static func allHaveTrigger(_ sets: any Collection<String>...) -> Bool {
        for set in sets {
            for name in set where !name.utf8.contains(where: { triggers[Int($0)] }) { return false }
        }
        return true
    }
}
