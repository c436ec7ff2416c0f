/// Text that cannot hold a cloud reference: a quick test that spares most strings of a document
/// (object keys, names, labels) the reference scanners.
///
/// Every reference ``ReferenceRewriter`` rewrites holds a trigger — `/` (ARM ids), `:` (ARNs),
/// `.` (registry and vault hosts, ECR registries), `-` (AWS ids, GUIDs, AWS regions) or twelve
/// digits in a row (account ids) — except a source name that has none (an Azure location such as
/// `westeurope`). So when every source name holds one, a string without any is skipped unread.
enum PlainText {
    private static let separators: [Bool] = (0..<256).map { b in b == 0x2F || b == 0x3A || b == 0x2D || b == 0x2E }

    /// Whether `b` holds a trigger: one of `/ : - .`, or a run of 12 digits (an account id; names
    /// such as `app7` or `100m` hold shorter runs).
    static func hasTrigger(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var digits = 0
        for c in b {
            if separators[Int(c)] { return true }
            if c >= 48 && c <= 57 {
                digits += 1
                if digits == 12 { return true }
            } else {
                digits = 0
            }
        }
        return false
    }

    /// Whether the string `s` holds a trigger.
    static func hasTrigger(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable(hasTrigger) ?? Array(s.utf8).withUnsafeBufferPointer(hasTrigger)
    }

    /// Whether every name holds a trigger (so skipping plain text skips no match).
    static func allHaveTrigger(_ sets: any Collection<String>...) -> Bool {
        for set in sets {
            for name in set {
                if !hasTrigger(name) { return false }
            }
        }
        return true
    }
}
