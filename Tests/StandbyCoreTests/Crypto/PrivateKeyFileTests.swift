import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// A private key others can read is used with a warning that names the file and the fix
/// (issue 12, defect 8).
@Suite struct PrivateKeyFileTests {
    @Test func aKeyOpenToOthersGetsAWarningNamingTheFileAndTheChmod() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let path = try tmp.write("signing.key", "-----BEGIN PRIVATE KEY-----\n")
        for mode: mode_t in [0o644, 0o640, 0o604, 0o620] {
            #expect(chmod(path, mode) == 0)
            #expect(PrivateKeyFile.permissionWarning(path, what: "signing_key")
                    == "warning: signing_key \(path) can be read or changed by its group or others (mode 0\(String(mode, radix: 8))): "
                    + "whoever reads it can sign recovery points or open them; run: chmod 600 \(path)")
        }
        for mode: mode_t in [0o600, 0o400, 0o700] {
            #expect(chmod(path, mode) == 0)
            #expect(PrivateKeyFile.permissionWarning(path, what: "signing_key") == nil)
        }
    }
}
