#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// `standby-bench write-files N DIR [BYTES] [--folders 200]`: the minimal writer, the floor under a
/// plan's one-file-per-object output. Creates N files of BYTES bytes each (default 900) under
/// DIR in the plan folder's layout — `kubernetes/bench/ns<k>/Deployment/app<i>.yaml`, object i in
/// namespace i mod FOLDERS, written namespace by namespace as the plan writes them (sorted) — with
/// plain open/write/close and no fsync; a folder is made when first needed. DIR must not exist
/// yet (it is made). Prints the wall and CPU seconds of the writing. A benchmark: asserts nothing.
func writeFilesCommand(_ args: Arguments) throws {
    guard (2...3).contains(args.positional.count),
          let count = Int(args.positional[0].replacingOccurrences(of: "_", with: "")), count >= 0 else {
        throw Usage("write-files needs a count N, a folder DIR that does not exist yet, and optionally BYTES per file")
    }
    let dir = args.positional[1]
    var size = 900
    if args.positional.count == 3 {
        guard let b = Int(args.positional[2]), b >= 0 else { throw Usage("write-files: BYTES is not a size: \(args.positional[2])") }
        size = b
    }
    let folders = max(1, try args.int("folders", 200))
    guard !FileManager.default.fileExists(atPath: dir) else {
        throw Usage("write-files: \(dir) exists already; name a new folder (its files would be mixed with these)")
    }
    // Contents: YAML-looking lines of the requested size (the file system only sees the size).
    let line = Array("  key: value-0123456789-abcdefghijklmnopqrstuvwxyz\n".utf8)
    let contents = (0..<size).map { line[$0 % line.count] }

    let clock = ContinuousClock(), start = clock.now, cpu = cpuSeconds()
    let base = dir + "/kubernetes/bench"
    var written = 0
    for k in 0..<min(folders, max(count, 1)) {
        let folder = "\(base)/ns\(k)/Deployment"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var i = k
        while i < count {
            let path = "\(folder)/app\(i).yaml"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw Usage("write-files: cannot create \(path): \(String(cString: strerror(errno)))") }
            try contents.withUnsafeBufferPointer { bytes in
                var offset = 0
                while offset < bytes.count {
                    let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        close(fd)
                        throw Usage("write-files: cannot write \(path): \(String(cString: strerror(errno)))")
                    }
                    offset += n
                }
            }
            close(fd)
            written += 1
            i += folders
        }
    }
    let wall = seconds(clock.now - start), used = cpuSeconds() - cpu
    print("write-files: \(grouped(written)) files of \(grouped(size)) bytes (\(mib(written * size))) in \(min(folders, max(count, 1))) folders under \(dir)")
    print("write      \(fmt(wall, 3)) s wall  \(fmt(used, 3)) s cpu  \(fmt(wall > 0 ? Double(written) / wall : 0, 0)) files/s")
}
