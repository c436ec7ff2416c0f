import Foundation

/// Opens the store a URL names: `file:///path` or a plain path (a folder), or `s3://bucket/prefix`
/// (credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`; `endpoint`
/// for an S3-compatible server such as moto; region default `AWS_REGION` or `us-east-1`).
public enum PointStores {
    /// - Parameter existing: the store must already exist (reading a catalog): a mistyped folder is
    ///   an error, not an empty list. Capturing passes false, and the folder is created on write.
    public static func open(_ url: String, endpoint: String? = nil, region: String? = nil, existing: Bool = false,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any PointStore {
        if url.hasPrefix("s3://") {
            guard let (bucket, prefix) = S3Store.parse(url: url) else {
                throw StoreError.failed("\(url): expected s3://bucket/prefix")
            }
            guard let credentials = AWSCredentials.fromEnvironment(environment) else {
                throw StoreError.failed("\(url): no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
            }
            let region = region ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
            return S3Store(bucket: bucket, prefix: prefix, region: region, endpoint: endpoint, credentials: credentials)
        }
        guard !url.contains("://") || url.hasPrefix("file://") else {
            throw StoreError.failed("\(url): unknown store; use a folder, file:///path or s3://bucket/prefix")
        }
        let path = url.hasPrefix("file://") ? String(url.dropFirst("file://".count)) : url
        var isDirectory: ObjCBool = false
        if existing, !(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw StoreError.failed("no recovery points at \(url): there is no such folder")
        }
        return FolderStore(path: path)
    }
}
