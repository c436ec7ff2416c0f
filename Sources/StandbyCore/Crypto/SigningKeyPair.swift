import COpenSSL

/// The signing key pair (Ed25519), as PEM.
public struct SigningKeyPair: Sendable {
    public var publicPEM: String
    public var privatePEM: String
    public init(publicPEM: String, privatePEM: String) { self.publicPEM = publicPEM; self.privatePEM = privatePEM }

    static let what = "an Ed25519"

    public static func generate() throws -> SigningKeyPair {
        let key = try OpenSSLKeys.generate("ED25519", what: "Ed25519")
        defer { EVP_PKEY_free(key) }
        return SigningKeyPair(publicPEM: try OpenSSLKeys.publicPEM(key, what: "Ed25519"),
                              privatePEM: try OpenSSLKeys.privatePEM(key, what: "Ed25519"))
    }

    public static func sign(_ message: [UInt8], privatePEM: String) throws -> [UInt8] {
        let key = try OpenSSLKeys.loadPrivate(privatePEM, name: "ED25519", what: what)
        defer { EVP_PKEY_free(key) }
        guard let ctx = EVP_MD_CTX_new() else { throw OpenSSLKeys.failure("out of memory signing") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, nil, nil, key) == 1 else {
            throw OpenSSLKeys.failure("could not set up Ed25519 signing")
        }
        var length = 0
        var signature = [UInt8](repeating: 0, count: 64)
        guard EVP_DigestSign(ctx, nil, &length, message, message.count) == 1, length == 64,
              EVP_DigestSign(ctx, &signature, &length, message, message.count) == 1 else {
            throw OpenSSLKeys.failure("Ed25519 signing failed")
        }
        return Array(signature.prefix(length))
    }

    /// True when `signature` is `message` signed by the key of `publicPEM`.
    public static func verify(_ signature: [UInt8], message: [UInt8], publicPEM: String) throws -> Bool {
        let key = try OpenSSLKeys.loadPublic(publicPEM, name: "ED25519", what: what)
        defer { EVP_PKEY_free(key) }
        guard signature.count == 64 else { return false }
        guard let ctx = EVP_MD_CTX_new() else { throw OpenSSLKeys.failure("out of memory verifying") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestVerifyInit(ctx, nil, nil, nil, key) == 1 else {
            throw OpenSSLKeys.failure("could not set up Ed25519 verification")
        }
        let result = EVP_DigestVerify(ctx, signature, signature.count, message, message.count)
        OpenSSLKeys.clearErrors()
        return result == 1
    }

    public static func fingerprint(publicPEM: String) throws -> String {
        let key = try OpenSSLKeys.loadPublic(publicPEM, name: "ED25519", what: what)
        defer { EVP_PKEY_free(key) }
        return try OpenSSLKeys.fingerprint(key, what: "Ed25519")
    }
}
