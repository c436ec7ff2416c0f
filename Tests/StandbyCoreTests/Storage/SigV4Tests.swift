import Foundation
import Testing
@testable import StandbyCore

/// The worked examples of AWS's "Signature Calculations for the Authorization Header" page for S3
/// (examplebucket, 20130524T000000Z, us-east-1).
@Suite struct SigV4Tests {
    let signer = SigV4(credentials: AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                                   secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                       region: "us-east-1", service: "s3")
    let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    let timestamp = "20130524T000000Z"

    @Test func getObjectWithRange() {
        let signed = signer.signature(
            method: "GET", canonicalURI: "/test.txt", query: [],
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
                      ("x-amz-content-sha256", emptyHash), ("x-amz-date", timestamp)],
            payloadHash: emptyHash, timestamp: timestamp)
        #expect(signed.canonicalRequest == """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signed.stringToSign == """
            AWS4-HMAC-SHA256
            20130524T000000Z
            20130524/us-east-1/s3/aws4_request
            7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
            """)
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signed.authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func putObjectWithEncodedKey() {
        let body = Array("Welcome to Amazon S3.".utf8)
        let payloadHash = Digest.sha256(body)
        #expect(payloadHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let path = "/" + SigV4.uriEncode("test$file.text", keepSlash: true)
        #expect(path == "/test%24file.text")
        let signed = signer.signature(
            method: "PUT", canonicalURI: path, query: [],
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                      ("x-amz-date", timestamp), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                      ("x-amz-content-sha256", payloadHash)],
            payloadHash: payloadHash, timestamp: timestamp)
        #expect(signed.signedHeaders == "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class")
        #expect(signed.stringToSign.hasSuffix("9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"))
        #expect(signed.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func getBucketLifecycleWithValuelessParameter() {
        let signed = signer.signature(
            method: "GET", canonicalURI: "/", query: [("lifecycle", "")],
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("x-amz-date", timestamp),
                      ("x-amz-content-sha256", emptyHash)],
            payloadHash: emptyHash, timestamp: timestamp)
        #expect(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "lifecycle=")
        #expect(signed.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func listObjectsWithSortedQuery() {
        let signed = signer.signature(
            method: "GET", canonicalURI: "/", query: [("prefix", "J"), ("max-keys", "2")],
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("x-amz-date", timestamp),
                      ("x-amz-content-sha256", emptyHash)],
            payloadHash: emptyHash, timestamp: timestamp)
        #expect(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "max-keys=2&prefix=J")
        #expect(signed.stringToSign.hasSuffix("df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7"))
        #expect(signed.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    /// AWS's presigned-URL example ("Authenticating Requests: Using Query Parameters").
    @Test func presignedGetObject() {
        let date = Date(timeIntervalSince1970: 1_369_353_600) // 2013-05-24T00:00:00Z
        let query = signer.presignedQuery(method: "GET", canonicalURI: "/test.txt", query: [],
                                          headers: [("host", "examplebucket.s3.amazonaws.com")], expires: 86400, date: date)
        #expect(query == "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    @Test func signAddsAmzHeadersAndAuthorization() {
        var headers: [(name: String, value: String)] = [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")]
        signer.sign(method: "GET", canonicalURI: "/test.txt", query: [], headers: &headers, payloadHash: emptyHash,
                    date: Date(timeIntervalSince1970: 1_369_353_600))
        #expect(headers.map(\.name) == ["Host", "Range", "x-amz-date", "x-amz-content-sha256", "Authorization"])
        #expect(headers[2].value == timestamp)
        #expect(headers[4].value.hasSuffix("Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"))

        let temporary = SigV4(credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s", sessionToken: "tok"),
                              region: "eu-west-1")
        var more: [(name: String, value: String)] = [("host", "h")]
        temporary.sign(method: "GET", canonicalURI: "/", query: [], headers: &more, payloadHash: emptyHash)
        #expect(more.contains { $0.name == "x-amz-security-token" && $0.value == "tok" })
        #expect(more.last!.value.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
    }

    @Test func timestampAndEncoding() {
        #expect(SigV4.timestamp(Date(timeIntervalSince1970: 1_369_353_600)) == "20130524T000000Z")
        #expect(SigV4.timestamp(Date(timeIntervalSince1970: 1_700_000_000.9)) == "20231114T221320Z")
        #expect(SigV4.uriEncode("a b/c~d_e.f-g+h=é", keepSlash: true) == "a%20b/c~d_e.f-g%2Bh%3D%C3%A9")
        #expect(SigV4.uriEncode("a/b", keepSlash: false) == "a%2Fb")
        #expect(SigV4.canonicalQuery([("b", "2"), ("a", "x y"), ("a", "1"), ("continuation-token", "1/+=")])
                == "a=1&a=x%20y&b=2&continuation-token=1%2F%2B%3D")
        #expect(Digest.hex(SigV4.hmacSHA256(key: Array("key".utf8),
                                             data: Array("The quick brown fox jumps over the lazy dog".utf8)))
                == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
    }
}
