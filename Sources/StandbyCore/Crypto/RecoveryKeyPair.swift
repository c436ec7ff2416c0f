import COpenSSL

/// The recovery side's key pair (RSA-OAEP-256), as PEM.
public struct RecoveryKeyPair: Sendable {
    public var publicPEM: String
    public var privatePEM: String
    public init(publicPEM: String, privatePEM: String) { self.publicPEM = publicPEM; self.privatePEM = privatePEM }

    static let bits: Int32 = 3072
    static let what = "an RSA"

    /// A new RSA-3072 key pair.
    public static func generate() throws -> RecoveryKeyPair {
        let key = try OpenSSLKeys.generate("RSA", what: "RSA") { EVP_PKEY_CTX_set_rsa_keygen_bits($0, bits) == 1 }
        defer { EVP_PKEY_free(key) }
        return RecoveryKeyPair(publicPEM: try OpenSSLKeys.publicPEM(key, what: "RSA"),
                               privatePEM: try OpenSSLKeys.privatePEM(key, what: "RSA"))
    }

    /// Sets OAEP padding with SHA-256 for both the label hash and MGF1.
    private static func configureOAEP(_ ctx: OpaquePointer) -> Bool {
        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1
            && EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) == 1
            && EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) == 1
    }

    /// Wraps (encrypts) a data key for the holder of the private key of `publicPEM`.
    public static func wrap(_ dataKey: [UInt8], publicPEM: String) throws -> [UInt8] {
        guard !dataKey.isEmpty else { throw CryptoError("there is no data key to wrap") }
        let key = try OpenSSLKeys.loadPublic(publicPEM, name: "RSA", what: what)
        defer { EVP_PKEY_free(key) }
        guard let ctx = EVP_PKEY_CTX_new(key, nil) else { throw OpenSSLKeys.failure("out of memory wrapping a data key") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_encrypt_init(ctx) == 1, configureOAEP(ctx) else {
            throw OpenSSLKeys.failure("could not set up RSA-OAEP (SHA-256)")
        }
        var length = 0
        guard EVP_PKEY_encrypt(ctx, nil, &length, dataKey, dataKey.count) == 1, length > 0 else {
            throw OpenSSLKeys.failure("the data key (\(dataKey.count) bytes) cannot be wrapped with this recovery key")
        }
        var out = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_encrypt(ctx, &out, &length, dataKey, dataKey.count) == 1 else {
            throw OpenSSLKeys.failure("the data key (\(dataKey.count) bytes) cannot be wrapped with this recovery key")
        }
        return Array(out.prefix(length))
    }

    /// Unwraps a data key; throws with a clear message for a wrong key.
    public static func unwrap(_ wrapped: [UInt8], privatePEM: String) throws -> [UInt8] {
        let key = try OpenSSLKeys.loadPrivate(privatePEM, name: "RSA", what: what)
        defer { EVP_PKEY_free(key) }
        guard !wrapped.isEmpty else { throw CryptoError("the data key was not wrapped for this recovery key") }
        guard let ctx = EVP_PKEY_CTX_new(key, nil) else { throw OpenSSLKeys.failure("out of memory unwrapping a data key") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_decrypt_init(ctx) == 1, configureOAEP(ctx) else {
            throw OpenSSLKeys.failure("could not set up RSA-OAEP (SHA-256)")
        }
        var length = 0
        guard EVP_PKEY_decrypt(ctx, nil, &length, wrapped, wrapped.count) == 1, length > 0 else {
            throw OpenSSLKeys.failure("the data key was not wrapped for this recovery key")
        }
        var out = [UInt8](repeating: 0, count: length)
        defer { OPENSSL_cleanse(&out, out.count) }
        guard EVP_PKEY_decrypt(ctx, &out, &length, wrapped, wrapped.count) == 1 else {
            throw OpenSSLKeys.failure("the data key was not wrapped for this recovery key")
        }
        return Array(out.prefix(length))
    }

    /// SHA-256 of the public key's DER encoding, hex: names the recipient in a manifest.
    public static func fingerprint(publicPEM: String) throws -> String {
        let key = try OpenSSLKeys.loadPublic(publicPEM, name: "RSA", what: what)
        defer { EVP_PKEY_free(key) }
        return try OpenSSLKeys.fingerprint(key, what: "RSA")
    }
}
