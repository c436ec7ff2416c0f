import Foundation

/// A value computed on first use, once, even when several threads ask for it at the same time:
/// the first builds it under a lock, the others wait for it.
final class OnceCell<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?

    /// The value, built by `make` the first time.
    func get(_ make: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let made = make()
        value = made
        return made
    }
}
