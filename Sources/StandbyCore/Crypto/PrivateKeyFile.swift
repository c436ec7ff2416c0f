import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a private key file (`signing.key`, `recovery.key`) is open to others than its owner.
///
/// Policy: a private key readable or writable by its group or by others is **used, with a
/// warning** naming the file, its mode and the `chmod 600` that fixes it. It is not refused,
/// because keys mounted from a Kubernetes Secret are 0644 unless the volume sets `defaultMode`,
/// and refusing would stop every backup; the warning says how to close the gap.
/// `standby keys new` writes keys 0600 in a 0700 folder.
public enum PrivateKeyFile {
    /// The warning for a key file whose mode lets its group or others read or write it, or nil.
    public static func permissionWarning(_ path: String, what: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let mode = info.st_mode & 0o777
        guard mode & 0o066 != 0 else { return nil }
        let octal = String(mode, radix: 8)
        return "warning: \(what) \(path) can be read or changed by its group or others (mode 0\(octal)): whoever reads it can sign "
            + "recovery points or open them; run: chmod 600 \(path)"
    }
}
