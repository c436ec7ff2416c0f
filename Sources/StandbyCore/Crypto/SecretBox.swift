import COpenSSL

/// The cryptography recovery points use, on OpenSSL.
///
/// - ``SecretBox``: AES-256-GCM with a fresh 12-byte nonce per message; output `nonce ‖ ciphertext ‖ tag`.
/// - ``RecoveryKeyPair``: RSA-3072 with OAEP (SHA-256) wraps a point's data key for the recovery side.
/// - ``SigningKeyPair``: Ed25519 signs the manifest.
public enum SecretBox {
    static let keyLength = 32, nonceLength = 12, tagLength = 16

    /// 32 random bytes from OpenSSL's CSPRNG.
    public static func newKey() throws -> [UInt8] { try OpenSSLKeys.randomBytes(keyLength) }

    /// Encrypts `plaintext` under `key` (32 bytes); `aad` is authenticated, not encrypted.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], aad: [UInt8]) throws -> [UInt8] {
        try checkKey(key)
        guard plaintext.count <= Int(Int32.max), aad.count <= Int(Int32.max) else {
            throw CryptoError("the data is too large to seal in one piece")
        }
        let nonce = try OpenSSLKeys.randomBytes(nonceLength)
        guard let ctx = EVP_CIPHER_CTX_new() else { throw OpenSSLKeys.failure("out of memory sealing data") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: plaintext.count + 16)
        var total = 0
        var tag = [UInt8](repeating: 0, count: tagLength)
        let ok: Bool = key.withUnsafeBufferPointer { k in nonce.withUnsafeBufferPointer { n in
            guard EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nil, nil, nil) == 1,
                  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceLength), nil) == 1,
                  EVP_EncryptInit_ex(ctx, nil, nil, k.baseAddress, n.baseAddress) == 1 else { return false }
            var length: Int32 = 0
            if !aad.isEmpty {
                guard EVP_EncryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1 else { return false }
            }
            if !plaintext.isEmpty {
                guard EVP_EncryptUpdate(ctx, &out, &length, plaintext, Int32(plaintext.count)) == 1 else { return false }
                total = Int(length)
            }
            let finished = out.withUnsafeMutableBufferPointer { o in
                EVP_EncryptFinal_ex(ctx, o.baseAddress! + total, &length)
            }
            guard finished == 1 else { return false }
            total += Int(length)
            return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), &tag) == 1
        } }
        guard ok, total == plaintext.count else { throw OpenSSLKeys.failure("AES-256-GCM encryption failed") }
        return nonce + out.prefix(total) + tag
    }

    /// Decrypts what ``seal(_:key:aad:)`` produced; throws when the key, the AAD or a byte is wrong.
    public static func open(_ sealed: [UInt8], key: [UInt8], aad: [UInt8]) throws -> [UInt8] {
        try checkKey(key)
        guard sealed.count >= nonceLength + tagLength else {
            throw CryptoError("the sealed data is too short (\(sealed.count) bytes; at least \(nonceLength + tagLength))")
        }
        guard sealed.count <= Int(Int32.max), aad.count <= Int(Int32.max) else {
            throw CryptoError("the sealed data is too large to open in one piece")
        }
        let nonce = Array(sealed.prefix(nonceLength))
        var tag = Array(sealed.suffix(tagLength))
        let ciphertext = Array(sealed[nonceLength ..< sealed.count - tagLength])
        guard let ctx = EVP_CIPHER_CTX_new() else { throw OpenSSLKeys.failure("out of memory opening data") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var total = 0
        var setUp = false
        let ok: Bool = key.withUnsafeBufferPointer { k in nonce.withUnsafeBufferPointer { n in
            guard EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nil, nil, nil) == 1,
                  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceLength), nil) == 1,
                  EVP_DecryptInit_ex(ctx, nil, nil, k.baseAddress, n.baseAddress) == 1 else { return false }
            var length: Int32 = 0
            if !aad.isEmpty {
                guard EVP_DecryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1 else { return false }
            }
            if !ciphertext.isEmpty {
                guard EVP_DecryptUpdate(ctx, &out, &length, ciphertext, Int32(ciphertext.count)) == 1 else { return false }
                total = Int(length)
            }
            guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), &tag) == 1 else { return false }
            setUp = true
            let verified = out.withUnsafeMutableBufferPointer { o in
                EVP_DecryptFinal_ex(ctx, o.baseAddress! + total, &length)
            }
            guard verified == 1 else { return false }
            total += Int(length)
            return true
        } }
        guard ok, total == ciphertext.count else {
            out.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
            if setUp {
                throw OpenSSLKeys.failure(
                    "the sealed data failed authentication: wrong key, wrong associated data, or the data was altered")
            }
            throw OpenSSLKeys.failure("AES-256-GCM decryption failed")
        }
        return Array(out.prefix(total))
    }

    private static func checkKey(_ key: [UInt8]) throws {
        guard key.count == keyLength else {
            throw CryptoError("a SecretBox key is \(keyLength) bytes, not \(key.count)")
        }
    }
}
