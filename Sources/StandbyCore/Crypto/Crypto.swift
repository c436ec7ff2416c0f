/// The cryptography recovery points use, on OpenSSL. (Stubs: to be implemented.)
///
/// - ``SecretBox``: AES-256-GCM with a fresh 12-byte nonce per message; output `nonce ‖ ciphertext ‖ tag`.
/// - ``RecoveryKeyPair``: RSA-3072 with OAEP (SHA-256) wraps a point's data key for the recovery side.
/// - ``SigningKeyPair``: Ed25519 signs the manifest.
public enum SecretBox {
    /// 32 random bytes from OpenSSL's CSPRNG.
    public static func newKey() throws -> [UInt8] { throw CryptoError("not implemented") }
    /// Encrypts `plaintext` under `key` (32 bytes); `aad` is authenticated, not encrypted.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], aad: [UInt8]) throws -> [UInt8] { throw CryptoError("not implemented") }
    /// Decrypts what ``seal(_:key:aad:)`` produced; throws when the key, the AAD or a byte is wrong.
    public static func open(_ sealed: [UInt8], key: [UInt8], aad: [UInt8]) throws -> [UInt8] { throw CryptoError("not implemented") }
}

/// The recovery side's key pair (RSA-OAEP-256), as PEM.
public struct RecoveryKeyPair: Sendable {
    public var publicPEM: String
    public var privatePEM: String
    public init(publicPEM: String, privatePEM: String) { self.publicPEM = publicPEM; self.privatePEM = privatePEM }
    /// A new RSA-3072 key pair.
    public static func generate() throws -> RecoveryKeyPair { throw CryptoError("not implemented") }
    /// Wraps (encrypts) a data key for the holder of the private key of `publicPEM`.
    public static func wrap(_ dataKey: [UInt8], publicPEM: String) throws -> [UInt8] { throw CryptoError("not implemented") }
    /// Unwraps a data key; throws with a clear message for a wrong key.
    public static func unwrap(_ wrapped: [UInt8], privatePEM: String) throws -> [UInt8] { throw CryptoError("not implemented") }
    /// SHA-256 of the public key's DER encoding, hex: names the recipient in a manifest.
    public static func fingerprint(publicPEM: String) throws -> String { throw CryptoError("not implemented") }
}

/// The signing key pair (Ed25519), as PEM.
public struct SigningKeyPair: Sendable {
    public var publicPEM: String
    public var privatePEM: String
    public init(publicPEM: String, privatePEM: String) { self.publicPEM = publicPEM; self.privatePEM = privatePEM }
    public static func generate() throws -> SigningKeyPair { throw CryptoError("not implemented") }
    public static func sign(_ message: [UInt8], privatePEM: String) throws -> [UInt8] { throw CryptoError("not implemented") }
    /// True when `signature` is `message` signed by the key of `publicPEM`.
    public static func verify(_ signature: [UInt8], message: [UInt8], publicPEM: String) throws -> Bool { throw CryptoError("not implemented") }
    public static func fingerprint(publicPEM: String) throws -> String { throw CryptoError("not implemented") }
}

/// Base64 without Foundation's line breaks.
public enum Base64 {
    public static func encode(_ bytes: [UInt8]) -> String { "" }
    public static func decode(_ text: String) -> [UInt8]? { nil }
}
