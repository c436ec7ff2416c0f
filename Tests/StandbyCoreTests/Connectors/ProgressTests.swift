import Foundation
import Testing
@testable import StandbyCore

/// Progress on a terminal: one status line rewritten in place, events on lines of their own.
@Suite("Terminal progress")
struct ProgressTests {
    final class Output: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func write(_ s: String) { lock.lock(); text += s; lock.unlock() }
        var all: String { lock.lock(); defer { lock.unlock() }; return text }
    }

    @Test func theStatusLineIsRewrittenAndEventsKeepTheirOwnLines() {
        let out = Output()
        let progress = TerminalProgress { out.write($0) }
        progress.update("listing apps/v1 deployments", done: 0, total: nil)
        progress.update("listing apps/v1 deployments", done: 1, total: nil)   // within 0.1 s: not drawn
        progress.event("created kubernetes v1 Namespace shop")
        progress.update("applying to dr", done: 3, total: 3)                   // the last one is always drawn
        progress.finish()
        #expect(out.all == "\r\u{1B}[Klisting apps/v1 deployments: 0"
                + "\r\u{1B}[Kcreated kubernetes v1 Namespace shop\n"
                + "\r\u{1B}[Kapplying to dr: 3/3"
                + "\r\u{1B}[K")
    }

    @Test func eventsAloneAreLinesAndFinishingWithNothingShownWritesNothing() {
        let out = Output()
        let progress = TerminalProgress { out.write($0) }
        progress.event("failed aws CreateCluster eks-prod-use1: AccessDenied")
        progress.finish()
        #expect(out.all == "failed aws CreateCluster eks-prod-use1: AccessDenied\n")
    }

    @Test func progressShowsOnATerminalOnly() {
        #expect(ProgressReporters.automatic(terminal: false) is SilentProgress)
        #expect(ProgressReporters.automatic(terminal: true) is TerminalProgress)
    }
}
