/// One shared copy of each distinct string: equal texts kept by many records (paths, relations)
/// share one buffer instead of one allocation each.
struct StringInterning {
    private var table: [String: String] = [:]

    /// The shared copy of `text` (`text` itself the first time it is seen).
    mutating func intern(_ text: String) -> String {
        if let known = table[text] { return known }
        table[text] = text
        return text
    }
}
