#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// `standby-bench read FILE`: the floor under loading a plan's input. Reads the whole FILE into
/// one buffer with read(2) (from the page cache when it was read recently), then makes one pass
/// over every byte (counting the `"` bytes, as any JSON scanner must look at each byte). Prints the
/// wall seconds of each and their rate. A benchmark: asserts nothing.
func readCommand(_ args: Arguments) throws {
    guard args.positional.count == 1, let file = args.positional.first else { throw Usage("read needs one FILE") }
    let clock = ContinuousClock()

    var start = clock.now
    let fd = open(file, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw Usage("read: cannot open \(file): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw Usage("read: cannot stat \(file): \(String(cString: strerror(errno)))") }
    let size = Int(info.st_size)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 64)
    defer { buffer.deallocate() }
    var filled = 0
    while filled < size {
        let n = read(fd, buffer.baseAddress! + filled, size - filled)
        if n < 0 {
            if errno == EINTR { continue }
            throw Usage("read: cannot read \(file): \(String(cString: strerror(errno)))")
        }
        if n == 0 { break }
        filled += n
    }
    let readSeconds = seconds(clock.now - start)

    start = clock.now
    // Sixteen bytes at a time (SIMD), so the floor is the memory's speed, not a byte loop's.
    var quotes = 0
    let raw = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
    let quote = SIMD16<UInt8>(repeating: UInt8(ascii: "\""))
    var i = 0
    while i + 16 <= filled {
        var lanes = SIMD16<UInt8>()
        let end = min(i + 16 * 255, filled - filled % 16)      // a lane counts at most 255
        while i < end {
            let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            lanes &+= SIMD16<UInt8>(repeating: 1).replacing(with: 0, where: v .!= quote)
            i += 16
        }
        quotes += lanes.indices.reduce(0) { $0 + Int(lanes[$1]) }
    }
    while i < filled { quotes += raw[i] == UInt8(ascii: "\"") ? 1 : 0; i += 1 }
    let passSeconds = seconds(clock.now - start)

    func rate(_ s: Double) -> String { s > 0 ? fmt(Double(filled) / s / 1e9, 2) + " GB/s" : "n/a" }
    print("read: \(file), \(grouped(filled)) bytes (\(mib(filled)))\(filled < size ? ", file shrank while read: \(grouped(size)) expected" : "")")
    print("read       \(fmt(readSeconds, 3)) s wall  \(rate(readSeconds))")
    print("pass       \(fmt(passSeconds, 3)) s wall  \(rate(passSeconds))  \(grouped(quotes)) quote bytes  peak RSS \(mib(peakRSS()))")
}
