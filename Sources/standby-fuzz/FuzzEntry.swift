#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import StandbyCore

/// The target libFuzzer drives, chosen once in ``fuzzerInitialize(_:_:)``.
nonisolated(unsafe) private var chosenTarget: FuzzTarget?

/// libFuzzer calls this once before fuzzing, with its own arguments.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<Int32>,
                             _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    var arguments: [String] = []
    if let list = argv.pointee {
        for i in 0..<Int(argc.pointee) { if let a = list[i] { arguments.append(String(cString: a)) } }
    }
    switch TargetChoice.choose(arguments: arguments, environment: ProcessInfo.processInfo.environment) {
    case .success(let target):
        chosenTarget = target
    case .failure(let error):
        printError("\(error)")
        exit(2)
    }
    return 0
}

/// libFuzzer calls this with every input: a broken invariant aborts, so libFuzzer saves the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let target = chosenTarget else {
        printError("standby-fuzz: LLVMFuzzerTestOneInput called before LLVMFuzzerInitialize")
        abort()
    }
    do {
        _ = try target.run(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    } catch {
        printError("\(error)")
        abort()
    }
    return 0
}

/// Writes `message` and a newline to standard error, unbuffered (an abort follows).
func printError(_ message: String) {
    var text = message + "\n"
    text.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
}

#if STANDBY_FUZZ
/// libFuzzer's driver, for a program that has its own `main` (SwiftPM gives every executable one).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// Runs libFuzzer over ``fuzzerTestOneInput(_:_:)`` with the process's arguments; libFuzzer
/// calls ``fuzzerInitialize(_:_:)`` first.
func runLibFuzzer() -> Int32 {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzerTestOneInput(data, size) }
}
#endif
