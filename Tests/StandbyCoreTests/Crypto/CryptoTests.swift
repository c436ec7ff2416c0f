import Foundation
import Testing
@testable import StandbyCore

@Suite("Crypto")
struct CryptoTests {
    // Key generation is slow for RSA-3072: make each pair once.
    static let recovery = try! RecoveryKeyPair.generate()
    static let otherRecovery = try! RecoveryKeyPair.generate()
    static let signing = try! SigningKeyPair.generate()
    static let otherSigning = try! SigningKeyPair.generate()

    static func message(_ error: any Error) -> String { (error as? CryptoError)?.message ?? "\(error)" }

    // MARK: SecretBox

    @Test func secretBoxRoundTrips() throws {
        let key = try SecretBox.newKey()
        #expect(key.count == 32)
        for plaintext in [[], [0x41], Array("hello, recovery point".utf8), [UInt8](repeating: 7, count: 100_000)] as [[UInt8]] {
            let sealed = try SecretBox.seal(plaintext, key: key, aad: Array("manifest".utf8))
            #expect(sealed.count == 12 + plaintext.count + 16)
            #expect(try SecretBox.open(sealed, key: key, aad: Array("manifest".utf8)) == plaintext)
        }
        let noAAD = try SecretBox.seal([1, 2, 3], key: key, aad: [])
        #expect(try SecretBox.open(noAAD, key: key, aad: []) == [1, 2, 3])
    }

    @Test func freshNonceAndKeyEachTime() throws {
        let key = try SecretBox.newKey()
        #expect(try SecretBox.newKey() != key)
        let a = try SecretBox.seal([1, 2, 3], key: key, aad: [])
        let b = try SecretBox.seal([1, 2, 3], key: key, aad: [])
        #expect(a.prefix(12) != b.prefix(12))
        #expect(a != b)
    }

    @Test func tamperingAnyByteFails() throws {
        let key = try SecretBox.newKey()
        let plaintext = Array("secret payload".utf8)
        let aad = Array("aad".utf8)
        let sealed = try SecretBox.seal(plaintext, key: key, aad: aad)
        for i in sealed.indices {
            var bad = sealed
            bad[i] ^= 0x01
            #expect(throws: CryptoError.self) { try SecretBox.open(bad, key: key, aad: aad) }
        }
        #expect(throws: CryptoError.self) { try SecretBox.open(Array(sealed.dropLast()), key: key, aad: aad) }
        #expect(throws: CryptoError.self) { try SecretBox.open(sealed + [0], key: key, aad: aad) }
        #expect(throws: CryptoError.self) { try SecretBox.open(Array(sealed.prefix(27)), key: key, aad: aad) }
    }

    @Test func wrongAADOrKeyFailsWithoutLeaking() throws {
        let key = try SecretBox.newKey()
        let plaintext = Array("TOPSECRET-PLAINTEXT".utf8)
        let sealed = try SecretBox.seal(plaintext, key: key, aad: Array("point-1".utf8))
        for (k, aad) in [(key, Array("point-2".utf8)), (key, []), (try SecretBox.newKey(), Array("point-1".utf8))] {
            do {
                _ = try SecretBox.open(sealed, key: k, aad: aad)
                Issue.record("opened with the wrong key or AAD")
            } catch let error as CryptoError {
                #expect(!error.message.contains("TOPSECRET"))
                #expect(!error.message.contains(Digest.hex(key)))
                #expect(!error.message.contains(Base64.encode(key)))
            }
        }
    }

    @Test func badKeyLengthRefused() {
        #expect(throws: CryptoError.self) { try SecretBox.seal([1], key: [UInt8](repeating: 0, count: 16), aad: []) }
        #expect(throws: CryptoError.self) { try SecretBox.open([UInt8](repeating: 0, count: 40), key: [], aad: []) }
    }

    // MARK: RecoveryKeyPair

    @Test func recoveryPEMs() {
        #expect(Self.recovery.publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(Self.recovery.privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(!Self.recovery.privatePEM.contains("ENCRYPTED"))
    }

    @Test func wrapUnwrapRoundTrips() throws {
        let dataKey = try SecretBox.newKey()
        let wrapped = try RecoveryKeyPair.wrap(dataKey, publicPEM: Self.recovery.publicPEM)
        #expect(wrapped.count == 384)
        #expect(try RecoveryKeyPair.unwrap(wrapped, privatePEM: Self.recovery.privatePEM) == dataKey)
        // OAEP is randomised.
        #expect(try RecoveryKeyPair.wrap(dataKey, publicPEM: Self.recovery.publicPEM) != wrapped)
    }

    @Test func wrongRecoveryKeyFailsWithMessage() throws {
        let dataKey = try SecretBox.newKey()
        let wrapped = try RecoveryKeyPair.wrap(dataKey, publicPEM: Self.recovery.publicPEM)
        do {
            _ = try RecoveryKeyPair.unwrap(wrapped, privatePEM: Self.otherRecovery.privatePEM)
            Issue.record("unwrapped with the wrong key")
        } catch {
            #expect(Self.message(error) == "the data key was not wrapped for this recovery key")
        }
        var tampered = wrapped
        tampered[10] ^= 0x80
        #expect(throws: CryptoError("the data key was not wrapped for this recovery key")) {
            try RecoveryKeyPair.unwrap(tampered, privatePEM: Self.recovery.privatePEM)
        }
    }

    @Test func recoveryFingerprintStable() throws {
        let a = try RecoveryKeyPair.fingerprint(publicPEM: Self.recovery.publicPEM)
        #expect(a.count == 64)
        #expect(a.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(try RecoveryKeyPair.fingerprint(publicPEM: Self.recovery.publicPEM) == a)
        #expect(try RecoveryKeyPair.fingerprint(publicPEM: Self.otherRecovery.publicPEM) != a)
        // The same key re-encoded (different line layout) has the same fingerprint.
        let reflowed = Self.recovery.publicPEM.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try RecoveryKeyPair.fingerprint(publicPEM: reflowed) == a)
    }

    // MARK: SigningKeyPair

    @Test func signVerify() throws {
        let message = Array("manifest bytes".utf8)
        let signature = try SigningKeyPair.sign(message, privatePEM: Self.signing.privatePEM)
        #expect(signature.count == 64)
        #expect(try SigningKeyPair.verify(signature, message: message, publicPEM: Self.signing.publicPEM))
        #expect(try SigningKeyPair.sign(message, privatePEM: Self.signing.privatePEM) == signature)  // Ed25519 is deterministic
        #expect(try SigningKeyPair.verify(signature, message: Array("other bytes".utf8), publicPEM: Self.signing.publicPEM) == false)
        #expect(try SigningKeyPair.verify(signature, message: message, publicPEM: Self.otherSigning.publicPEM) == false)
        #expect(try SigningKeyPair.verify([], message: message, publicPEM: Self.signing.publicPEM) == false)
        #expect(try SigningKeyPair.verify(Array(signature.dropLast()), message: message, publicPEM: Self.signing.publicPEM) == false)
        let empty = try SigningKeyPair.sign([], privatePEM: Self.signing.privatePEM)
        #expect(try SigningKeyPair.verify(empty, message: [], publicPEM: Self.signing.publicPEM))
    }

    @Test func flippedSignatureByteFails() throws {
        let message = Array("manifest bytes".utf8)
        let signature = try SigningKeyPair.sign(message, privatePEM: Self.signing.privatePEM)
        for i in signature.indices {
            var bad = signature
            bad[i] ^= 0x04
            #expect(try SigningKeyPair.verify(bad, message: message, publicPEM: Self.signing.publicPEM) == false)
        }
    }

    @Test func signingFingerprintStable() throws {
        let a = try SigningKeyPair.fingerprint(publicPEM: Self.signing.publicPEM)
        #expect(a.count == 64)
        #expect(try SigningKeyPair.fingerprint(publicPEM: Self.signing.publicPEM) == a)
        #expect(try SigningKeyPair.fingerprint(publicPEM: Self.otherSigning.publicPEM) != a)
    }

    /// A fixed Ed25519 key (RFC 8410 example): its fingerprint must never change.
    @Test func knownKeyFingerprint() throws {
        let pem = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
            -----END PUBLIC KEY-----
            """
        let der = Base64.decode("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=")!
        #expect(try SigningKeyPair.fingerprint(publicPEM: pem) == Digest.sha256(der))
    }

    // MARK: Wrong types

    @Test func wrongPEMTypesRefused() throws {
        let msg = [UInt8]("m".utf8)
        #expect(throws: CryptoError("not an Ed25519 private key")) {
            try SigningKeyPair.sign(msg, privatePEM: Self.recovery.privatePEM)
        }
        #expect(throws: CryptoError("not an Ed25519 public key")) {
            try SigningKeyPair.verify([UInt8](repeating: 0, count: 64), message: msg, publicPEM: Self.recovery.publicPEM)
        }
        #expect(throws: CryptoError("not an Ed25519 public key")) {
            try SigningKeyPair.fingerprint(publicPEM: Self.recovery.publicPEM)
        }
        #expect(throws: CryptoError("not an RSA public key")) {
            try RecoveryKeyPair.wrap([1, 2, 3], publicPEM: Self.signing.publicPEM)
        }
        #expect(throws: CryptoError("not an RSA private key")) {
            try RecoveryKeyPair.unwrap([1, 2, 3], privatePEM: Self.signing.privatePEM)
        }
        #expect(throws: CryptoError("not an RSA public key")) {
            try RecoveryKeyPair.fingerprint(publicPEM: Self.signing.publicPEM)
        }
        // A private PEM where a public one is expected, and junk.
        for junk in [Self.signing.privatePEM, "", "hello", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"] {
            do {
                _ = try SigningKeyPair.verify([], message: msg, publicPEM: junk)
                Issue.record("accepted a non-key as an Ed25519 public key")
            } catch {
                #expect(Self.message(error).hasPrefix("not an Ed25519 public key"))
                #expect(!Self.message(error).contains("PRIVATE KEY"))
            }
        }
        do {
            _ = try RecoveryKeyPair.unwrap([1], privatePEM: Self.recovery.publicPEM)
            Issue.record("accepted a public key as a private key")
        } catch {
            #expect(Self.message(error).hasPrefix("not an RSA private key"))
        }
    }

    // MARK: Base64

    @Test func base64() {
        #expect(Base64.encode([]) == "")
        #expect(Base64.encode(Array("f".utf8)) == "Zg==")
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode([0xFB, 0xFF]) == "+/8=")
        let long = [UInt8](repeating: 0xAB, count: 1000)
        #expect(!Base64.encode(long).contains("\n"))
        #expect(Base64.decode(Base64.encode(long)) == long)
        #expect(Base64.decode("Zg==") == Array("f".utf8))
        #expect(Base64.decode("") == [])
        for bad in ["Zg", "Zg=", "Z===", "Zm9v YmFy", "Zm9v\nYmFy", "-_8=", "@@@@", "Zg==Zg=="] {
            #expect(Base64.decode(bad) == nil, "\(bad)")
        }
    }
}
