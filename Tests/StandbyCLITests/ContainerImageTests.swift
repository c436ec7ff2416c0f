import Foundation
import Testing

/// The container image, built for real by `scripts/container/build.sh` with `podman build` (FROM
/// scratch: nothing is pulled). No container can run on these machines (podman run is refused by
/// the kernel's cgroup setup), so the image is verified by exporting its filesystem
/// (`podman create` + `podman export`) and running the program inside it with `chroot`, as the
/// image's user (65532), with /proc mounted as a runtime mounts it: `standby --version` and the
/// drill on the installed sample estate.
@Suite("container image (podman build, verified by export + chroot)", .serialized)
struct ContainerImageTests {
    static let tag = "localhost/standby-test:\(ProcessInfo.processInfo.processIdentifier)"

    /// The image's root filesystem, exported into a temporary folder.
    static let exported: Result<URL, ImageError> = {
        do {
            var env = ProcessInfo.processInfo.environment
            env["STANDBY_SCRATCH"] = InstallTests.scratch
            let build = try ChildProcess.run("/bin/bash", [StandbyBinary.root.appendingPathComponent("scripts/container/build.sh").path, tag],
                                             in: StandbyBinary.root, environment: env)
            guard build.status == 0 else { return .failure(ImageError("build.sh exited \(build.status): \(build.stderr.suffix(3000))")) }
            let podman = try which("podman", env)
            let name = "standby-export-\(ProcessInfo.processInfo.processIdentifier)"
            let create = try ChildProcess.run(podman, ["create", "--name", name, tag], in: StandbyBinary.root, environment: env)
            guard create.status == 0 else { return .failure(ImageError("podman create: \(create.stderr)")) }
            defer {
                _ = try? ChildProcess.run(podman, ["rm", "-f", name], in: StandbyBinary.root, environment: env)
                _ = try? ChildProcess.run(podman, ["rmi", "-f", tag], in: StandbyBinary.root, environment: env)
            }
            let dir = try StandbyBinary.temporaryDirectory()
            let tar = dir.appendingPathComponent("image.tar").path
            let export = try ChildProcess.run(podman, ["export", "-o", tar, name], in: dir, environment: env)
            guard export.status == 0 else { return .failure(ImageError("podman export: \(export.stderr)")) }
            let root = dir.appendingPathComponent("rootfs")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let untar = try ChildProcess.run("/bin/tar", ["-xpf", tar, "-C", root.path], in: dir, environment: env)
            guard untar.status == 0 else { return .failure(ImageError("tar: \(untar.stderr)")) }
            try? FileManager.default.removeItem(atPath: tar)
            return .success(root)
        } catch {
            return .failure(ImageError("\(error)"))
        }
    }()

    struct ImageError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    static func which(_ tool: String, _ env: [String: String]) throws -> String {
        for dir in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(tool)") {
            return "\(dir)/\(tool)"
        }
        throw ImageError("\(tool) is not on PATH (scripts/container/build.sh installs podman)")
    }

    /// Runs a command inside the exported image as its user, with only the image's environment and
    /// a fresh /proc mounted as a container runtime would (in new mount and pid namespaces).
    static func inImage(_ root: URL, _ arguments: [String]) throws -> ChildProcess.Result {
        var command = ["/usr/bin/unshare", "--fork", "--pid", "--mount", "--mount-proc=\(root.path)/proc"]
        command += getuid() == 0 ? ["/usr/sbin/chroot", "--userspec=65532:65532"] : ["--map-root-user", "/usr/sbin/chroot"]
        command += [root.path] + arguments
        return try ChildProcess.run(command[0], Array(command.dropFirst()), in: root,
                                    environment: ["PATH": "/usr/local/bin", "HOME": "/home/standby",
                                                  "SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt"])
    }

    @Test("the image holds the program, its stdlib and examples, and nothing of the toolchain")
    func layout() throws {
        let root = try Self.exported.get()
        let fm = FileManager.default
        for path in ["usr/local/bin/standby", "usr/local/share/standby/stdlib/standby/init.lua",
                     "usr/local/share/standby/examples/drill.lua", "etc/passwd", "tmp", "work"] {
            #expect(fm.fileExists(atPath: root.appendingPathComponent(path).path), "\(path) is not in the image")
        }
        #expect(!fm.fileExists(atPath: root.appendingPathComponent("opt/swift").path))
        #expect(!fm.fileExists(atPath: root.appendingPathComponent("bin/sh").path), "the image has a shell: it was not built from scratch")
    }

    @Test("standby --version and the drill run inside the exported image, as its user")
    func drillInsideImage() throws {
        let root = try Self.exported.get()
        let version = try Self.inImage(root, ["/usr/local/bin/standby", "--version"])
        #expect(version.status == 0, "\(version.stderr)")
        #expect(version.stdout.hasPrefix("standby "), "\(version.stdout)")

        let drill = try Self.inImage(root, ["/usr/local/bin/standby", "run", "/usr/local/share/standby/examples/drill.lua",
                                            "/usr/local/share/standby/examples/estate", "/work/drill"])
        #expect(drill.status == 0, "\(drill.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("work/drill/report.md").path))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("work/drill/azure/template.json").path))
    }
}
