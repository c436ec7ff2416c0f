import Testing
@testable import StandbyCore

@Suite struct TranslationSmokeTests {
    @Test func sampleEstateTranslates() throws {
        let t = try SampleEstate.translate()
        print(t.summary)
        for r in t.resources.prefix(400) {
            for c in r.changes { print("CHG", r.source.display, c.path, c.before?.stringValue ?? "-", "->", c.after?.stringValue ?? "-", c.by) }
            for u in r.untranslated { print("KEEP", r.source.display, u.path, u.value.prefix(100), "|", u.reason) }
        }
        #expect(t.resources.count > 100)
    }
}
