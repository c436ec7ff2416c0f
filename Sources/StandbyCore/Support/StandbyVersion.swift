/// The version of Standby: the release number, and (generated at build time by the
/// VersionStamp plugin) the git commit it was built from. Recovery points record it as their
/// `tool`.
public enum StandbyVersion {
    /// The release number, semantic versioning.
    public static let number = "0.6.0"

    /// `standby 0.6.0 (a1b2c3d4e5f6)`: what `standby --version` prints and points record.
    public static var description: String { "standby \(number) (\(commit))" }
}
