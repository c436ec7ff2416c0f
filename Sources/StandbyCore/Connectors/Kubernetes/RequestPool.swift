import Foundation

/// Requests run on up to `width` threads of their own, fed and drained by one coordinating
/// thread: the coordinator submits work as its prerequisites are met and takes results as they
/// come, so it can decide what to send next while requests are in flight (unlike
/// ``RequestsInFlight``, which maps a list known in advance).
final class RequestPool<Work: Sendable, Answer: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Work] = []
    private var head = 0
    private var answers: [Answer] = []
    private var closed = false
    private var running = 0
    private let body: @Sendable (Work) -> Answer

    /// Starts `width` threads running `body` on the work submitted.
    init(width: Int, body: @escaping @Sendable (Work) -> Answer) {
        self.body = body
        for _ in 0..<max(1, width) {
            // Threads of their own, not Dispatch's pool: requests block on the network.
            Thread.detachNewThread { [self] in self.serve() }
        }
    }

    /// Work submitted and not yet answered.
    var outstanding: Int {
        condition.lock(); defer { condition.unlock() }
        return queue.count - head + running + answers.count
    }

    func submit(_ work: Work) {
        condition.lock()
        queue.append(work)
        condition.broadcast()
        condition.unlock()
    }

    /// The answers so far, waiting for at least one until `deadline` (nil: as long as work is
    /// outstanding). Empty when the deadline passed or nothing is outstanding.
    func take(until deadline: Date?) -> [Answer] {
        condition.lock(); defer { condition.unlock() }
        while answers.isEmpty && (queue.count - head + running) > 0 {
            if let deadline {
                if !condition.wait(until: deadline) { break }
            } else {
                condition.wait()
            }
        }
        if answers.isEmpty, let deadline, deadline > Date(), queue.count - head + running == 0 {
            // Nothing in flight: wait out the deadline (a readiness check is due then).
            _ = condition.wait(until: deadline)
        }
        defer { answers.removeAll(keepingCapacity: true) }
        return answers
    }

    /// Stops the threads once the work submitted is done.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while head == queue.count && !closed { condition.wait() }
            if head == queue.count && closed {
                condition.unlock()
                return
            }
            let work = queue[head]
            head += 1
            if head > 4096 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            running += 1
            condition.unlock()
            let answer = body(work)
            condition.lock()
            running -= 1
            answers.append(answer)
            condition.broadcast()
            condition.unlock()
        }
    }
}
