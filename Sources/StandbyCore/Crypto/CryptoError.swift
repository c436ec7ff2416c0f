/// A cryptographic operation that failed: a bad key, a wrong key, tampered data. The message never
/// contains key material or plaintext.
public struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
