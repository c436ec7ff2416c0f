import Dispatch

/// Independent work spread over every core, results kept in index order, so what runs in
/// parallel gives exactly what a loop would.
///
/// The work is cut into chunks of consecutive indexes; `body` is called once per index, from
/// several threads at once, so it must only read shared state (and write its own element).
/// Small counts run on the calling thread.
enum ParallelWork {
    /// Indexes handed to one thread at a time.
    static let chunk = 128

    /// `body(0) … body(count - 1)`, computed in parallel, in order.
    static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        guard count > chunk else { return (0..<count).map(body) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            withoutActuallyEscaping(body) { body in
                let slots = UnsafeSlots(base: buffer.baseAddress!), work = Unchecked(body)
                DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { c in
                    for i in c * chunk..<min(count, (c + 1) * chunk) { (slots.base + i).initialize(to: work.value(i)) }
                }
            }
            initialized = count
        }
    }

    /// Calls `body` on every element of `array` in place, in parallel.
    static func update<T>(_ array: inout [T], _ body: (inout T) -> Void) {
        let count = array.count
        guard count > chunk else {
            for i in array.indices { body(&array[i]) }
            return
        }
        array.withUnsafeMutableBufferPointer { buffer in
            withoutActuallyEscaping(body) { body in
                let slots = UnsafeSlots(base: buffer.baseAddress!), work = Unchecked(body)
                DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { c in
                    for i in c * chunk..<min(count, (c + 1) * chunk) { work.value(&(slots.base + i).pointee) }
                }
            }
        }
    }

    /// The caller's work, which by this type's contract only reads shared state.
    private struct Unchecked<F>: @unchecked Sendable {
        let value: F
        init(_ value: F) { self.value = value }
    }

    /// Storage each thread writes its own disjoint elements of.
    private struct UnsafeSlots<T>: @unchecked Sendable {
        let base: UnsafeMutablePointer<T>
    }
}
