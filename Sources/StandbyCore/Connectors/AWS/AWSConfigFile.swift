import Foundation

/// One of AWS's shared files, `~/.aws/config` or `~/.aws/credentials`, read as the CLI reads
/// them: `[section]` headers, `key = value` lines, `#` and `;` comment lines; indented lines
/// under a key with no value (`s3 =` followed by `  max_concurrent_requests = 10`) belong to that
/// key and are skipped. In the config file a profile's section is `[profile NAME]` (`[default]`
/// or `[profile default]` for the default one; other sections such as `[sso-session …]` are not
/// profiles); in the credentials file it is `[NAME]`.
public struct AWSConfigFile: Sendable {
    public enum Kind: Sendable { case config, credentials }

    /// A value and the line it is on.
    public struct Entry: Sendable, Equatable {
        public var value: String
        public var line: Int
    }

    /// One profile's section.
    public struct Section: Sendable {
        public var name: String
        public var line: Int
        public var entries: [String: Entry]
    }

    public var path: String
    public var kind: Kind
    /// Profile name → section (a repeated section's keys are merged, later ones winning).
    public var profiles: [String: Section]

    /// Reads the file at `path`; nil when there is no such file.
    /// - Throws: ``AWSError`` (`setup`) naming `path:line` when a line is neither a section, a
    ///   comment nor `key = value`, or the file cannot be read.
    public static func load(_ path: String, kind: Kind) throws -> AWSConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AWSError.setup("configuration", "\(path): cannot be read")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path, kind: kind)
    }

    /// Parses the text of a shared file.
    public static func parse(_ text: String, path: String, kind: Kind) throws -> AWSConfigFile {
        var file = AWSConfigFile(path: path, kind: kind, profiles: [:])
        var current: String?          // the profile being read, nil in a non-profile section
        var inSection = false
        var nestedUnder = false       // reading the indented lines of a `key =` with no value
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let indented = line.first == " " || line.first == "\t"
            if indented && nestedUnder { continue }
            nestedUnder = false
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else {
                    throw AWSError.setup("configuration", "\(path):\(lineNumber): a section header must end with `]`")
                }
                let header = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                inSection = true
                current = profileName(header, kind: kind)
                if let name = current, file.profiles[name] == nil {
                    file.profiles[name] = Section(name: name, line: lineNumber, entries: [:])
                }
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw AWSError.setup("configuration", "\(path):\(lineNumber): expected `[section]` or `key = value`")
            }
            guard inSection else {
                throw AWSError.setup("configuration", "\(path):\(lineNumber): `key = value` before any `[section]`")
            }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.isEmpty { nestedUnder = true }
            if let name = current, !key.isEmpty {
                file.profiles[name]?.entries[key] = Entry(value: value, line: lineNumber)
            }
        }
        return file
    }

    /// The profile a section header names, nil when it names none.
    static func profileName(_ header: String, kind: Kind) -> String? {
        switch kind {
        case .credentials:
            return header
        case .config:
            if header == "default" { return "default" }
            let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0] == "profile" else { return nil }
            return parts[1].trimmingCharacters(in: .whitespaces)
        }
    }
}
