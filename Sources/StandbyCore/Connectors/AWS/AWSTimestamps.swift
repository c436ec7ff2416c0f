import Foundation

/// The JSON protocols answer timestamps as seconds since 1970 (`"createdAt": 1708441471.512`);
/// aws-cli prints them as ISO 8601 (`2024-02-20T15:04:31.512000+00:00`). This rewrites the
/// numeric values of timestamp members so live answers read like aws-cli output.
enum AWSTimestamps {
    static let keys: Set<String> = ["createdAt", "modifiedAt", "CreationTime", "CreationDate", "CreateDate",
                                    "DeletionDate", "ValidTo", "imagePushedAt", "LastModifiedDate"]

    static func iso8601(in value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.pairs.map { pair -> (String, JSONValue) in
                if keys.contains(pair.key), let seconds = number(pair.value) { return (pair.key, .string(format(seconds))) }
                return (pair.key, iso8601(in: pair.value))
            }))
        case .array(let items):
            return .array(items.map(iso8601(in:)))
        default:
            return value
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// `2024-02-20T15:04:31.512000+00:00`, as aws-cli prints UTC times.
    static func format(_ seconds: Double) -> String {
        let whole = seconds.rounded(.down)
        let micros = Int(((seconds - whole) * 1_000_000).rounded())
        var t = time_t(whole)
        var parts = tm()
        gmtime_r(&t, &parts)
        let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                          Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return base + (micros == 0 ? "" : String(format: ".%06d", min(micros, 999_999))) + "+00:00"
    }
}
