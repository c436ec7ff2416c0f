/// "Did you mean …?" for a name that matches nothing: the closest known name by edit distance.
public enum Suggestion {
    /// The name in `known` at edit distance 1 or 2 from `name` (the nearest), or nil.
    public static func closest(_ name: String, in known: some Sequence<String>) -> String? {
        var best: (name: String, distance: Int)?
        for candidate in known {
            let d = editDistance(name, candidate)
            guard d <= 2 else { continue }
            if let b = best, b.distance < d || (b.distance == d && b.name <= candidate) { continue }
            best = (candidate, d)
        }
        return best?.name
    }

    /// ` (did you mean 'x'?)`, or an empty string when nothing is close.
    public static func hint(_ name: String, in known: some Sequence<String>) -> String {
        closest(name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// The Levenshtein distance between two strings, by characters.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
