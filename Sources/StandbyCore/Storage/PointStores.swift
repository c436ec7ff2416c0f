import Foundation

/// Opens the store a URL names: `file:///path` or a plain path (a folder), or `s3://bucket/prefix`
/// (credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`; `endpoint`
/// for an S3-compatible server such as moto; region default `AWS_REGION` or `us-east-1`).
public enum PointStores {
    public static func open(_ url: String, endpoint: String? = nil, region: String? = nil,
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
        if url.hasPrefix("file://") { return FolderStore(path: String(url.dropFirst("file://".count))) }
        guard !url.contains("://") else {
            throw StoreError.failed("\(url): unknown store; use a folder, file:///path or s3://bucket/prefix")
        }
        return FolderStore(path: url)
    }
}
