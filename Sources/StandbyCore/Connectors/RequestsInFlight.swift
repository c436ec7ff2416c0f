import Foundation

/// Several independent reads at once (listing the collections of a cluster, reading the
/// resources of a resource group), at most ``width`` in flight, results in the order of the
/// inputs so that an inventory read live is the same from run to run.
///
/// The reads are I/O-bound (each waits on a server), so the width is set by what a server
/// tolerates, not by cores, and they run on threads of their own; the HTTP client is
/// thread-safe and keeps one connection per read in flight. CPU-bound work (translating,
/// cleaning, emitting YAML) goes through `ParallelWork` instead, one chunk per core.
struct RequestsInFlight {
    /// Reads in flight at most (1: one after another).
    var width: Int

    init(width: Int = 4) { self.width = max(1, width) }

    /// `body(0) … body(count - 1)`, run on up to ``width`` threads; the results in index order.
    /// When a call throws, calls not yet started are not started, and the error of the lowest
    /// index that failed is thrown once the running ones have returned.
    func map<T>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
        guard count > 0 else { return [] }
        if width == 1 || count == 1 { return try (0..<count).map(body) }
        let state = State<T>(count: count)
        let workers = min(width, count)
        let done = DispatchSemaphore(value: 0)
        // Threads of their own, not Dispatch's pool: the reads block on the network, and the pool
        // (as wide as the cores) may be busy with other work.
        for _ in 0..<workers {
            Thread.detachNewThread {
                while let index = state.next() {
                    do {
                        state.finish(index, .success(try body(index)))
                    } catch {
                        state.finish(index, .failure(error))
                    }
                }
                done.signal()
            }
        }
        for _ in 0..<workers { done.wait() }
        return try state.results()
    }

    /// The shared progress of one ``map(_:_:)``.
    private final class State<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var nextIndex = 0
        private var failed = false
        private var slots: [Result<T, Error>?]

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        /// The next index to run, or nil when all have started or one failed.
        func next() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard !failed, nextIndex < slots.count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }

        func finish(_ index: Int, _ result: Result<T, Error>) {
            lock.lock(); defer { lock.unlock() }
            slots[index] = result
            if case .failure = result { failed = true }
        }

        func results() throws -> [T] {
            lock.lock(); defer { lock.unlock() }
            var out: [T] = []
            out.reserveCapacity(slots.count)
            for slot in slots {
                switch slot {
                case .success(let value)?: out.append(value)
                case .failure(let error)?: throw error
                case nil: continue // not started after a failure (a failure comes before it)
                }
            }
            return out
        }
    }
}
