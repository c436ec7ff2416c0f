import Foundation

/// Where long operations (listing a cluster, applying a plan) say how far they got.
///
/// Two implementations: ``TerminalProgress`` rewrites one status line on a terminal, and
/// ``SilentProgress`` says nothing (pipes, CI logs, tests). ``ProgressReporters/automatic()``
/// picks the first when standard error is a terminal.
public protocol ProgressReporter: Sendable {
    /// `phase` is what is happening (`listing apps/v1 deployments`, `applying eks prod`); `done`
    /// how many items so far; `total` how many in all when known.
    func update(_ phase: String, done: Int, total: Int?)
    /// A line worth keeping (an object created, a step failed).
    func event(_ line: String)
    /// The operation ended: clears the status line.
    func finish()
}

/// Says nothing.
public struct SilentProgress: ProgressReporter {
    public init() {}
    public func update(_ phase: String, done: Int, total: Int?) {}
    public func event(_ line: String) {}
    public func finish() {}
}

/// Rewrites one status line on standard error (`\r`, clear to end of line), at most ten times a
/// second, and prints events on their own lines above it.
public final class TerminalProgress: ProgressReporter, @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var shown = false
    private let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.write = write
    }

    public func update(_ phase: String, done: Int, total: Int?) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || done == total else { return }
        lastDraw = now
        let count = total.map { "\(done)/\($0)" } ?? "\(done)"
        write("\r\u{1B}[K\(phase): \(count)")
        shown = true
    }

    public func event(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        write((shown ? "\r\u{1B}[K" : "") + line + "\n")
        shown = false
        lastDraw = .distantPast
    }

    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if shown { write("\r\u{1B}[K") }
        shown = false
    }
}

public enum ProgressReporters {
    /// ``TerminalProgress`` when standard error is a terminal, else ``SilentProgress``.
    public static func automatic() -> any ProgressReporter {
        automatic(terminal: isatty(STDERR_FILENO) == 1)
    }

    /// ``TerminalProgress`` when `terminal`, else ``SilentProgress``.
    public static func automatic(terminal: Bool) -> any ProgressReporter {
        terminal ? TerminalProgress() : SilentProgress()
    }
}
