import COpenSSL
import Foundation

/// Cryptographic digests through OpenSSL's EVP interface.
public enum Digest {
    /// The SHA-256 of `bytes`, as 64 lower-case hex digits.
    public static func sha256<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        if let hex = bytes.withContiguousStorageIfAvailable({ sha256(buffer: UnsafeRawBufferPointer($0)) }) {
            return hex
        }
        return Array(bytes).withUnsafeBytes { sha256(buffer: $0) }
    }

    /// The SHA-256 of a string's UTF-8 bytes, as hex.
    public static func sha256(_ text: String) -> String {
        var text = text
        return text.withUTF8 { sha256(buffer: UnsafeRawBufferPointer($0)) }
    }

    /// The SHA-256 of raw bytes, as hex.
    public static func sha256(buffer: UnsafeRawBufferPointer) -> String {
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        defer { EVP_MD_CTX_free(context) }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1,
              EVP_DigestUpdate(context, buffer.baseAddress, buffer.count) == 1,
              EVP_DigestFinal_ex(context, &digest, &length) == 1 else {
            fatalError("OpenSSL SHA-256 failed")
        }
        return hex(digest.prefix(Int(length)))
    }

    /// Lower-case hex of `bytes`.
    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
