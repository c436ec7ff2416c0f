import COpenSSL
import Foundation

extension Digest {
    /// The base64 of the MD5 of `bytes`: HTTP's `Content-MD5`, which S3 requires on every request
    /// that sets Object Lock retention. An integrity check of the body in transit, not security.
    public static func contentMD5(_ bytes: [UInt8]) -> String {
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        defer { EVP_MD_CTX_free(context) }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { buffer in
            EVP_DigestInit_ex(context, EVP_md5(), nil) == 1
                && EVP_DigestUpdate(context, buffer.baseAddress, buffer.count) == 1
                && EVP_DigestFinal_ex(context, &digest, &length) == 1
        }
        guard ok else { fatalError("OpenSSL MD5 failed") }
        return Data(digest.prefix(Int(length))).base64EncodedString()
    }
}
