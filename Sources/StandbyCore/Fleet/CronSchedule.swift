/// A five-field cron schedule as Kubernetes CronJobs and Argo read it (`minute hour day-of-month
/// month day-of-week`, with `*`, lists, ranges, steps and month/day names), or one of the
/// `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly` macros. Checked when the fleet is read,
/// so a typo fails there rather than in the cluster.
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var description: String { text }

    static let macros = ["@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually"]
    static let fields: [(name: String, range: ClosedRange<Int>, names: [String])] = [
        ("minute", 0...59, []), ("hour", 0...23, []), ("day of month", 1...31, []),
        ("month", 1...12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        ("day of week", 0...7, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ]

    /// - Throws: a message naming the field that is wrong.
    public init(_ text: String) throws(CronScheduleError) {
        self.text = text
        if CronSchedule.macros.contains(text) { return }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 5 else {
            throw CronScheduleError("'\(text)' has \(parts.count) field\(parts.count == 1 ? "" : "s"); a schedule has 5 (minute hour day-of-month month day-of-week), e.g. \"0 */6 * * *\", or is @hourly/@daily/@weekly")
        }
        for (part, field) in zip(parts, CronSchedule.fields) {
            for item in part.split(separator: ",", omittingEmptySubsequences: false) {
                try CronSchedule.check(String(item), field)
            }
        }
    }

    /// The longest gap between two runs, in seconds, as far as can be told simply: a step or a
    /// list in the hour field gives hours; a fixed hour gives a day (a week when the day of week
    /// is fixed). What alerts use for "no success in twice the schedule".
    public var period: Int {
        switch text {
        case "@hourly": return 3600
        case "@daily", "@midnight": return 86_400
        case "@weekly": return 7 * 86_400
        case "@monthly": return 31 * 86_400
        case "@yearly", "@annually": return 366 * 86_400
        default: break
        }
        let parts = text.split(separator: " ").map(String.init)
        if parts[2] != "*" || parts[3] != "*" { return 31 * 86_400 }
        if parts[4] != "*" { return 7 * 86_400 }
        let hour = parts[1]
        if hour == "*" { return 3600 }
        if hour.hasPrefix("*/"), let step = Int(hour.dropFirst(2)) { return step * 3600 }
        if hour.contains(",") {
            let hours = hour.split(separator: ",").compactMap { Int($0) }.sorted()
            guard let first = hours.first, let last = hours.last else { return 86_400 }
            var gap = first + 24 - last
            for (a, b) in zip(hours, hours.dropFirst()) { gap = max(gap, b - a) }
            return gap * 3600
        }
        return 86_400
    }

    private static func check(_ item: String, _ field: (name: String, range: ClosedRange<Int>, names: [String])) throws(CronScheduleError) {
        let bad = CronScheduleError("\(field.name) '\(item)' is not *, a number in \(field.range.lowerBound)-\(field.range.upperBound)\(field.names.isEmpty ? "" : " or a name (\(field.names.first!)…)"), a range a-b or a step */n")
        var body = Substring(item)
        if let slash = item.firstIndex(of: "/") {
            guard let step = Int(item[item.index(after: slash)...]), step >= 1 else { throw bad }
            body = item[..<slash]
        }
        if body == "*" { return }
        let bounds = body.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(bounds.count) else { throw bad }
        var values: [Int] = []
        for b in bounds {
            if let n = Int(b), field.range.contains(n) { values.append(n); continue }
            if let i = field.names.firstIndex(of: b.lowercased()) { values.append(field.name == "month" ? i + 1 : i); continue }
            throw bad
        }
        if values.count == 2, values[0] > values[1] { throw bad }
    }
}

public struct CronScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
