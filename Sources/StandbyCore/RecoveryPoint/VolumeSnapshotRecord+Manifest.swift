extension VolumeSnapshotRecord {
    /// Reads one entry of a point manifest's `volumes`; throws naming the field that is wrong.
    init(manifestJSON v: JSONValue) throws {
        let r = PointFormat.Reader(v, "manifest.json volumes entry")
        self.init(volume: try r.string("volume"), snapshot: try r.string("snapshot"), copy: try r.string("copy"),
                  copyRegion: try r.string("copy_region"), sizeGiB: try r.int("size_gib"), taken: try r.string("taken"),
                  consistency: try r.string("consistency"), sharedWith: try r.strings("shared_with"))
    }
}
