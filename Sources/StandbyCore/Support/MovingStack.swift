/// A stack that hands its top elements over by moving them, without retain/release traffic.
///
/// The JSON parser pushes every member of an object or array here while reading it, then moves
/// exactly those elements into a right-sized array. A plain `Array` used the same way copies
/// (retaining) and then destroys (releasing) every element.
final class MovingStack<Element> {
    private(set) var count = 0
    private var capacity: Int
    private var base: UnsafeMutablePointer<Element>

    init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always)
    func push(_ element: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    private func grow() {
        let newCapacity = capacity * 2
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Moves the elements from position `start` to the top into a new array (bottom first).
    func popArray(from start: Int) -> [Element] {
        let n = count - start
        guard n > 0 else { return [] }
        // reserveCapacity + append specialises better than init(unsafeUninitializedCapacity:),
        // which looks up the prespecialised metadata of [String] on every call.
        var out: [Element] = []
        out.reserveCapacity(n)
        for k in start..<count { out.append((base + k).move()) }
        count = start
        return out
    }
}
