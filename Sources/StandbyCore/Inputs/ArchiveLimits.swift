/// The bounds on what one archive (or one Velero backup folder) can make the loader read.
///
/// A `.tar.gz` of a few kilobytes can expand to gigabytes, or hold millions of entries; these
/// bounds are checked while reading, against the bytes actually decompressed (not the sizes the
/// headers claim), and a refusal names the archive and the entry (``InventoryLoadError/archiveRefused(archive:entry:reason:)``).
///
/// | bound | default |
/// |---|---|
/// | entries (files, folders, links) | ``maximumEntries``: 200,000 |
/// | bytes of one file, decompressed | ``maximumEntryBytes``: 64 MiB |
/// | bytes of all files, decompressed | ``maximumTotalBytes``: 2 GiB |
public struct ArchiveLimits: Sendable, Hashable {
    public var maximumEntries: Int
    public var maximumEntryBytes: Int
    public var maximumTotalBytes: Int

    public init(maximumEntries: Int = 200_000, maximumEntryBytes: Int = 64 << 20, maximumTotalBytes: Int = 2 << 30) {
        self.maximumEntries = maximumEntries
        self.maximumEntryBytes = maximumEntryBytes
        self.maximumTotalBytes = maximumTotalBytes
    }
}
