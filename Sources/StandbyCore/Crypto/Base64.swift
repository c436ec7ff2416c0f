import Foundation

/// Base64 without Foundation's line breaks.
public enum Base64 {
    /// Standard alphabet, with padding, on one line.
    public static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
    /// Nil for anything that is not strict, padded, standard base64 (no whitespace, no URL alphabet).
    public static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.count % 4 == 0 else { return nil }
        guard let data = Data(base64Encoded: text) else { return nil }
        return [UInt8](data)
    }
}
