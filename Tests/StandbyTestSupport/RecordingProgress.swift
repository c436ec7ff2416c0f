import Foundation
import StandbyCore

/// A ``ProgressReporter`` that keeps every phase and event, for tests to assert on.
public final class RecordingProgress: ProgressReporter, @unchecked Sendable {
    private let lock = NSLock()
    private var _phases: [String] = []
    private var _events: [String] = []

    public init() {}

    /// Every phase passed to `update`, in order (repeats included).
    public var phases: [String] { lock.lock(); defer { lock.unlock() }; return _phases }
    public var events: [String] { lock.lock(); defer { lock.unlock() }; return _events }

    public func update(_ phase: String, done: Int, total: Int?) { lock.lock(); _phases.append(phase); lock.unlock() }
    public func event(_ line: String) { lock.lock(); _events.append(line); lock.unlock() }
    public func finish() {}
}
