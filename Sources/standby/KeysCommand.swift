import ArgumentParser
import Foundation
import StandbyCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Standby {
    /// `standby keys`: key management for recovery points.
    struct KeysCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys",
            abstract: "Manage the keys that sign and encrypt recovery points.",
            subcommands: [New.self])

        /// `standby keys new <dir>`: a signing pair (Ed25519) and a recovery pair (RSA-3072).
        struct New: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "new",
                abstract: "Write signing.key/.pub (Ed25519) and recovery.key/.pub (RSA-3072) into a folder.",
                discussion: """
                    The folder is created with mode 0700 when missing; every file is written with mode 0600. \
                    Existing keys are never overwritten unless --force is given. Only file names and public \
                    fingerprints are printed.
                    """)

            @Argument(help: ArgumentHelp("The folder to write the keys into.", valueName: "dir"), completion: .directory)
            var directory: String

            @Flag(help: "Replace keys that already exist in the folder.")
            var force = false

            static let files = ["signing.key", "signing.pub", "recovery.key", "recovery.pub"]

            func run() throws {
                do {
                    try generateKeys()
                } catch let error as KeysError {
                    FileHandle.standardError.write(Data("standby: \(error.message)\n".utf8))
                    throw ExitCode(2)
                } catch let error as CryptoError {
                    FileHandle.standardError.write(Data("standby: \(error.message)\n".utf8))
                    throw ExitCode(2)
                }
            }

            private func generateKeys() throws {
                let dir = URL(fileURLWithPath: directory)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDirectory) {
                    guard isDirectory.boolValue else { throw KeysError("'\(directory)' exists and is not a folder") }
                } else {
                    guard mkdir(dir.path, 0o700) == 0 || errno == EEXIST else {
                        throw KeysError("cannot create '\(directory)': \(String(cString: strerror(errno)))")
                    }
                }
                let existing = Self.files.filter { FileManager.default.fileExists(atPath: dir.appendingPathComponent($0).path) }
                if !existing.isEmpty && !force {
                    throw KeysError("'\(directory)' already holds \(existing.joined(separator: ", ")); "
                        + "refusing to overwrite keys (use --force to replace them)")
                }

                let signing = try SigningKeyPair.generate()
                let recovery = try RecoveryKeyPair.generate()
                let contents = [signing.privatePEM, signing.publicPEM, recovery.privatePEM, recovery.publicPEM]
                for (name, text) in zip(Self.files, contents) {
                    try Self.writeSecretFile(dir.appendingPathComponent(name).path, text, replace: force)
                }

                print("wrote \(dir.appendingPathComponent("signing.key").path)")
                print("wrote \(dir.appendingPathComponent("signing.pub").path)")
                print("wrote \(dir.appendingPathComponent("recovery.key").path)")
                print("wrote \(dir.appendingPathComponent("recovery.pub").path)")
                print("signing fingerprint (Ed25519, sha256):   \(try SigningKeyPair.fingerprint(publicPEM: signing.publicPEM))")
                print("recovery fingerprint (RSA-3072, sha256): \(try RecoveryKeyPair.fingerprint(publicPEM: recovery.publicPEM))")
            }

            /// Creates `path` with O_CREAT|O_EXCL and mode 0600; with `replace`, an existing file is removed first.
            static func writeSecretFile(_ path: String, _ text: String, replace: Bool) throws {
                if replace, unlink(path) != 0, errno != ENOENT {
                    throw KeysError("cannot replace '\(path)': \(String(cString: strerror(errno)))")
                }
                let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
                guard fd >= 0 else {
                    throw KeysError("cannot create '\(path)': \(String(cString: strerror(errno)))")
                }
                defer { close(fd) }
                // The umask cannot widen 0600, but make the mode exact whatever it is.
                guard fchmod(fd, 0o600) == 0 else {
                    throw KeysError("cannot set the mode of '\(path)': \(String(cString: strerror(errno)))")
                }
                var bytes = Array(text.utf8)
                var offset = 0
                while offset < bytes.count {
                    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw KeysError("cannot write '\(path)': \(String(cString: strerror(errno)))")
                    }
                    offset += n
                }
                for i in bytes.indices { bytes[i] = 0 }
                guard fsync(fd) == 0 else {
                    throw KeysError("cannot write '\(path)': \(String(cString: strerror(errno)))")
                }
            }
        }
    }

    struct KeysError: Error { var message: String; init(_ message: String) { self.message = message } }
}
