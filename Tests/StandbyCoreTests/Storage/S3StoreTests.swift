import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// A store on the shared moto server, in a bucket of its own (created), or `nil` after recording
/// why not.
private func motoStore(prefix: String = "points", sourceLocation: SourceLocation = #_sourceLocation) throws -> S3Store? {
    guard let endpoint = MotoServer.endpoint(sourceLocation: sourceLocation) else { return nil }
    let bucket = "standby-test-" + UUID().uuidString.lowercased().prefix(18)
    let store = S3Store(bucket: String(bucket), prefix: prefix, region: "us-east-1", endpoint: endpoint,
                        credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))
    try store.createBucketIfMissing()
    return store
}

@Suite("S3Store against a moto server") struct S3StoreMotoTests {
    @Test func putGetOverwriteDelete() throws {
        guard let store = try motoStore() else { return }
        let bytes: [UInt8] = Array("{\"kind\": \"point\"}".utf8)
        try store.put("p1/objects/abc.json", bytes)
        #expect(try store.get("p1/objects/abc.json") == bytes)

        let binary: [UInt8] = (0...255).map { UInt8($0) } + [0, 0]
        try store.put("p1/objects/abc.json", binary)
        #expect(try store.get("p1/objects/abc.json") == binary)

        try store.put("p1/empty", [])
        #expect(try store.get("p1/empty") == [])

        try store.delete("p1/objects/abc.json")
        #expect(throws: StoreError.notFound("p1/objects/abc.json")) { try store.get("p1/objects/abc.json") }
        try store.delete("p1/objects/abc.json") // deleting a missing key is no error
        #expect(try store.list(prefix: "") == ["p1/empty"])
    }

    @Test func missingKeyIsNotFound() throws {
        guard let store = try motoStore() else { return }
        #expect(throws: StoreError.notFound("no/such/key.json")) { try store.get("no/such/key.json") }
    }

    @Test func missingBucketFailsWithS3Code() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let store = S3Store(bucket: "standby-never-created", prefix: "", region: "us-east-1", endpoint: endpoint,
                            credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))
        let error = #expect(throws: StoreError.self) { try store.get("k") }
        #expect(error?.description.hasPrefix("s3://standby-never-created: GET k: NoSuchBucket: ") == true)
        #expect(error?.description.hasSuffix("(HTTP 404)") == true)
        #expect(throws: StoreError.self) { try store.put("k", [1]) }
        #expect(throws: StoreError.self) { try store.list(prefix: "") }
    }

    @Test func listPagesPastOneThousandKeys() throws {
        guard let store = try motoStore() else { return }
        let keys = (0..<1100).map { "p/objects/\(String(format: "%05d", $0)).json" }
        for key in keys { try store.put(key, Array(key.utf8)) }
        try store.put("q/other.json", [1])
        let listed = try store.list(prefix: "p/")
        #expect(listed.count == 1100)
        #expect(listed == keys)
        #expect(try store.list(prefix: "").count == 1101)
        #expect(try store.get(keys[1042]) == Array(keys[1042].utf8))
    }

    @Test func listFollowsContinuationTokensAndUnescapesKeys() throws {
        guard var store = try motoStore() else { return }
        store.pageSize = 7
        var keys = (0..<30).map { "k/\($0).json" }
        keys += ["k/a&b.json", "k/<tag>.json", "k/quote\"'s.json", "k/space here.json", "k/ünï©ødé.json", "k/plus+eq=.json"]
        for key in keys { try store.put(key, [7]) }
        let listed = try store.list(prefix: "k/")
        #expect(listed == keys.sorted())
        for key in keys.suffix(6) { #expect(try store.get(key) == [7]) }
    }

    @Test func prefixesKeepStoresApart() throws {
        guard let first = try motoStore(prefix: "/team-a/") else { return }
        let second = S3Store(bucket: first.bucket, prefix: "team-ab", region: "us-east-1", endpoint: first.endpoint,
                             credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))
        #expect(first.url == "s3://\(first.bucket)/team-a")
        try first.put("x.json", [1])
        try second.put("y.json", [2])
        #expect(try first.list(prefix: "") == ["x.json"])
        #expect(try second.list(prefix: "") == ["y.json"])
        #expect(throws: StoreError.notFound("y.json")) { try first.get("y.json") }
    }

    @Test func createBucketIfMissingTwice() throws {
        guard let store = try motoStore() else { return }
        try store.createBucketIfMissing()
        guard let endpoint = MotoServer.endpoint() else { return }
        let elsewhere = S3Store(bucket: store.bucket + "-eu", prefix: "", region: "eu-west-1", endpoint: endpoint,
                                credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))
        try elsewhere.createBucketIfMissing()
        try elsewhere.createBucketIfMissing()
        try elsewhere.put("a", [1])
        #expect(try elsewhere.list(prefix: "") == ["a"])
    }

    @Test func storeIsUsableFromManyThreads() async throws {
        guard let store = try motoStore() else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<40 {
                group.addTask { try store.put("c/\(n)", [UInt8(n)]) }
            }
            try await group.waitForAll()
        }
        #expect(try store.list(prefix: "c/").count == 40)
        #expect(try store.get("c/39") == [39])
    }
}

@Suite("S3Store URLs, credentials and XML") struct S3StoreOfflineTests {
    @Test func parsesS3URLs() {
        #expect(S3Store.parse(url: "s3://bucket/some/prefix")! == ("bucket", "some/prefix"))
        #expect(S3Store.parse(url: "s3://bucket/some/prefix/")! == ("bucket", "some/prefix"))
        #expect(S3Store.parse(url: "s3://bucket")! == ("bucket", ""))
        #expect(S3Store.parse(url: "s3://bucket/")! == ("bucket", ""))
        #expect(S3Store.parse(url: "s3:///prefix") == nil)
        #expect(S3Store.parse(url: "file:///backups") == nil)
        #expect(S3Store.parse(url: "bucket/prefix") == nil)
    }

    @Test func urlNamesBucketAndPrefix() {
        let credentials = AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret")
        #expect(S3Store(bucket: "b", prefix: "p/q/", region: "us-east-1", credentials: credentials).url == "s3://b/p/q")
        #expect(S3Store(bucket: "b", prefix: "", region: "us-east-1", credentials: credentials).url == "s3://b")
    }

    @Test func credentialsFromEnvironment() {
        #expect(AWSCredentials.fromEnvironment([:]) == nil)
        #expect(AWSCredentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "AKID"]) == nil)
        #expect(AWSCredentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": ""]) == nil)
        #expect(AWSCredentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s"])
                == AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s"))
        let temporary = AWSCredentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s",
                                                        "AWS_SESSION_TOKEN": "tok"])
        #expect(temporary?.sessionToken == "tok")
        #expect(!String(describing: temporary!).contains("s\"") && !"\(temporary!)".contains("tok"))
    }

    @Test func xmlElementsAndEntities() {
        let xml = "<R><KeyCount>2</KeyCount><Contents><Key>a&amp;b&lt;c&gt;&quot;&apos;&#233;&#x263A;</Key></Contents>"
            + "<Contents><Key/></Contents><IsTruncated>false</IsTruncated></R>"
        #expect(S3Store.xmlElements("Key", in: xml) == ["a&amp;b&lt;c&gt;&quot;&apos;&#233;&#x263A;", ""])
        #expect(S3Store.xmlElements("Contents", in: xml).count == 2)
        #expect(S3Store.xmlUnescape("a&amp;b&lt;c&gt;&quot;&apos;&#233;&#x263A;") == "a&b<c>\"'é☺")
        #expect(S3Store.xmlUnescape("fish & chips &unknown; &") == "fish & chips &unknown; &")
        #expect(S3Store.xmlValue("Code", in: Array("<Error><Code>NoSuchKey</Code></Error>".utf8)) == "NoSuchKey")
    }

    @Test func retryDelayBacksOffAndHonoursRetryAfter() {
        let options = HTTPClient.Options()
        #expect(HTTPClient.retryDelay(attempt: 1, retryAfter: nil, options: options, random: 1) == 0.25)
        #expect(HTTPClient.retryDelay(attempt: 3, retryAfter: nil, options: options, random: 1) == 1.0)
        #expect(HTTPClient.retryDelay(attempt: 3, retryAfter: nil, options: options, random: 0) == 0.5)
        #expect(HTTPClient.retryDelay(attempt: 20, retryAfter: nil, options: options, random: 1) == 8)
        #expect(HTTPClient.retryDelay(attempt: 1, retryAfter: "3", options: options, random: 1) == 3)
        #expect(HTTPClient.retryDelay(attempt: 1, retryAfter: "3600", options: options, random: 1) == 30)
        let now = Date(timeIntervalSince1970: 1_369_353_600) // Fri, 24 May 2013 00:00:00 GMT
        #expect(HTTPClient.retryDelay(attempt: 1, retryAfter: "Fri, 24 May 2013 00:00:05 GMT", options: options,
                                      random: 1, now: now) == 5)
        #expect(HTTPClient.retryDelay(attempt: 1, retryAfter: "soon", options: options, random: 1) == 0.25)
    }

    @Test func unreachableServerIsATransportError() {
        var options = HTTPClient.Options()
        options.maxAttempts = 2
        options.baseBackoff = 0.01
        let client = HTTPClient(options: options)
        // Port 9 (discard) on 127.0.0.1: nothing listens there in the test environment.
        let request = HTTPRequest(method: "GET", url: "http://127.0.0.1:9/", headers: [("Authorization", "secret-value")])
        let error = #expect(throws: HTTPTransportError.self) { try client.send(request) }
        #expect(error?.description.contains("secret-value") == false)
        #expect(!"\(request)".contains("secret-value") && !String(reflecting: request).contains("secret-value"))
    }
}
