import COpenSSL

/// Helpers shared by the key pair types: PEM in and out, DER fingerprints, OpenSSL error hygiene.
/// Every OpenSSL object is freed before returning; no message carries key material.
enum OpenSSLKeys {
    /// Drops whatever OpenSSL queued, so one failure never shows up in a later, unrelated call.
    static func clearErrors() { ERR_clear_error() }

    /// A `CryptoError`, with OpenSSL's error queue cleared.
    static func failure(_ message: String) -> CryptoError {
        clearErrors()
        return CryptoError(message)
    }

    /// Generates a key with `name` ("RSA", "ED25519"); `configure` tunes the keygen context.
    static func generate(_ name: String, what: String,
                         configure: (OpaquePointer) -> Bool = { _ in true }) throws -> OpaquePointer {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, name, nil) else {
            throw failure("could not create a \(what) key generator")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1, configure(ctx) else {
            throw failure("could not set up \(what) key generation")
        }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_generate(ctx, &key) == 1, let key else {
            throw failure("\(what) key generation failed")
        }
        return key
    }

    /// The contents of a memory BIO, as text.
    private static func text(of bio: OpaquePointer) -> String? {
        let pending = BIO_ctrl_pending(bio)
        guard pending > 0, pending <= Int(Int32.max) else { return nil }
        var bytes = [UInt8](repeating: 0, count: pending)
        let read = BIO_read(bio, &bytes, Int32(pending))
        defer { OPENSSL_cleanse(&bytes, bytes.count) }
        guard read == Int32(pending) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `key`'s public half as PEM (SubjectPublicKeyInfo).
    static func publicPEM(_ key: OpaquePointer, what: String) throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw failure("out of memory writing a \(what) public key") }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PUBKEY(bio, key) == 1, let pem = text(of: bio) else {
            throw failure("could not write a \(what) public key as PEM")
        }
        return pem
    }

    /// `key`'s private half as unencrypted PKCS#8 PEM, through OpenSSL's secure heap where available.
    static func privatePEM(_ key: OpaquePointer, what: String) throws -> String {
        guard let bio = BIO_new(BIO_s_secmem()) ?? BIO_new(BIO_s_mem()) else {
            throw failure("out of memory writing a \(what) private key")
        }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PrivateKey(bio, key, nil, nil, 0, nil, nil) == 1, let pem = text(of: bio) else {
            throw failure("could not write a \(what) private key as PEM")
        }
        return pem
    }

    /// Runs `body` on a read-only memory BIO over `pem`'s UTF-8 bytes.
    private static func withBIO<T>(_ pem: String, _ body: (OpaquePointer) -> T?) -> T? {
        var bytes = Array(pem.utf8)
        defer { OPENSSL_cleanse(&bytes, bytes.count) }
        guard !bytes.isEmpty, bytes.count <= Int(Int32.max) else { return nil }
        return bytes.withUnsafeBytes { raw -> T? in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    /// Parses a private key PEM of type `name` ("RSA", "ED25519"); the caller frees it.
    static func loadPrivate(_ pem: String, name: String, what: String) throws -> OpaquePointer {
        let key = withBIO(pem) { PEM_read_bio_PrivateKey($0, nil, nil, nil) }
        guard let key else { throw failure("not \(what) private key (could not read a private key PEM)") }
        guard EVP_PKEY_is_a(key, name) == 1 else {
            EVP_PKEY_free(key)
            throw failure("not \(what) private key")
        }
        return key
    }

    /// Parses a public key PEM (SubjectPublicKeyInfo) of type `name`; the caller frees it.
    static func loadPublic(_ pem: String, name: String, what: String) throws -> OpaquePointer {
        let key = withBIO(pem) { PEM_read_bio_PUBKEY($0, nil, nil, nil) }
        guard let key else { throw failure("not \(what) public key (could not read a public key PEM)") }
        guard EVP_PKEY_is_a(key, name) == 1 else {
            EVP_PKEY_free(key)
            throw failure("not \(what) public key")
        }
        return key
    }

    /// SHA-256 hex of the DER encoding of `key`'s public half.
    static func fingerprint(_ key: OpaquePointer, what: String) throws -> String {
        let length = i2d_PUBKEY(key, nil)
        guard length > 0 else { throw failure("could not encode a \(what) public key") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_PUBKEY(key, &cursor)
        }
        guard written == length else { throw failure("could not encode a \(what) public key") }
        return Digest.sha256(der)
    }

    /// Fills `count` bytes from OpenSSL's CSPRNG.
    static func randomBytes(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count <= Int(Int32.max), RAND_bytes(&bytes, Int32(count)) == 1 else {
            throw failure("the random number generator failed")
        }
        return bytes
    }
}
