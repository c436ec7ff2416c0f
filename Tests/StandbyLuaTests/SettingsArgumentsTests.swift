import StandbyCore
import StandbyLua
import Testing

/// `standby.settings(arg, required)`: the key=value arguments `standby fleet run` passes a runbook.
@Suite struct SettingsArgumentsTests {
    @Test func keyValueArgumentsBecomeATable() throws {
        let (results, _) = try Fixture.run("""
            local standby = require "standby"
            local s = standby.settings({ "cluster=aks-prod-weu", "store=s3://b/p?x=1", "empty=" }, { "cluster", "store" })
            return s.cluster, s.store, s.empty, s.missing
            """)
        #expect(results == ["aks-prod-weu", "s3://b/p?x=1", "", nil])
    }

    @Test func aMissingRequiredKeyIsAnErrorAtTheCallersLine() throws {
        let (error, path) = try Fixture.failure("""
            local standby = require "standby"
            local s = standby.settings({ "cluster=a" }, { "cluster", "store" })
            """)
        #expect(error?.message == "\(path):2: missing store=... among the arguments")
    }

    @Test func anArgumentThatIsNotKeyValueIsAnError() throws {
        let (error, path) = try Fixture.failure("""
            local standby = require "standby"
            local s = standby.settings({ "aks-prod-weu" })
            """)
        #expect(error?.message == "\(path):2: argument 'aks-prod-weu' is not key=value (standby fleet run passes them)")
    }
}
