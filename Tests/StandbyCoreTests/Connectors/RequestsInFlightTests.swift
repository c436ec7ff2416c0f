import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Reads run a few at a time, results in input order.
@Suite("Requests in flight")
struct RequestsInFlightTests {
    final class Gauge: @unchecked Sendable {
        private let lock = NSLock()
        private var now = 0
        private(set) var most = 0
        private(set) var started: [Int] = []
        func enter(_ i: Int) { lock.lock(); now += 1; most = max(most, now); started.append(i); lock.unlock() }
        func leave() { lock.lock(); now -= 1; lock.unlock() }
    }

    struct Failure: Error, Equatable { let index: Int }

    @Test func resultsComeInInputOrderWithAtMostWidthInFlight() throws {
        let gauge = Gauge()
        let out = try RequestsInFlight(width: 3).map(20) { i in
            gauge.enter(i)
            defer { gauge.leave() }
            Thread.sleep(forTimeInterval: Double((i * 7) % 5) / 1000)
            return i * i
        }
        #expect(out == (0..<20).map { $0 * $0 })
        #expect(gauge.most <= 3)
        #expect(gauge.most > 1, "reads overlap")
    }

    @Test func aFailureStopsNewReadsAndTheLowestFailureIsThrown() {
        let gauge = Gauge()
        #expect(throws: Failure(index: 2)) {
            _ = try RequestsInFlight(width: 2).map(50) { i -> Int in
                gauge.enter(i)
                defer { gauge.leave() }
                if i == 2 || i == 3 { throw Failure(index: i) }
                Thread.sleep(forTimeInterval: 0.002)
                return i
            }
        }
        #expect(gauge.started.count < 10, "reads after the failure were not started")
    }

    @Test("a cluster read four collections at a time gives the inventory read one at a time (against a wire-format test server)")
    func parallelDiscoveryIsTheSameAsSequential() throws {
        guard let server = KubeWireTestServer.start() else { return }
        try server.seed([KubeObjects.namespace("a"), KubeObjects.namespace("b"), KubeObjects.widgetCRD(), KubeObjects.widget("w", in: "a")]
                        + (1...9).map { KubeObjects.configMap("cm-\($0)", in: $0 % 2 == 0 ? "a" : "b") })
        var sequential = KubernetesDiscovery(connection: try server.connection(), pageSize: 2)
        sequential.parallelism = 1
        let parallel = KubernetesDiscovery(connection: try server.connection(), pageSize: 2)
        #expect(parallel.parallelism == 4)
        let one = try sequential.inventory(), four = try parallel.inventory()
        #expect(one.resources.map(\.id) == four.resources.map(\.id))
        #expect(one.resources.map(\.source.description) == four.resources.map(\.source.description))
        #expect(one.count >= 13)
    }
}
