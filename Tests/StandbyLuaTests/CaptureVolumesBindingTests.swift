import Foundation
import Testing
import StandbyCore
import StandbyLua

/// `standby.capture{ volumes = ... }` and `point:volumes()` from Lua, without a cloud: a selected
/// EBS volume with no recovery region to copy to is an error at the call, naming it.
@Suite("Lua: capture with volumes, point:volumes()")
struct CaptureVolumesBindingTests {
    static let pv = #"""
        {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "orders-db"},
         "spec": {"capacity": {"storage": "8Gi"}, "accessModes": ["ReadWriteOnce"], "storageClassName": "gp3",
                  "claimRef": {"namespace": "shop", "name": "data"},
                  "csi": {"driver": "ebs.csi.aws.com", "volumeHandle": "vol-0a1b2c3d4e5f60718", "fsType": "ext4"}}}
        """#
    static let pvc = #"""
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data", "namespace": "shop"},
         "spec": {"accessModes": ["ReadWriteOnce"], "volumeName": "orders-db", "resources": {"requests": {"storage": "8Gi"}}}}
        """#

    func folder() throws -> String {
        let folder = try Fixture.folder(["pv.json": Self.pv, "pvc.json": Self.pvc])
        let signing = try SigningKeyPair.generate(), recovery = try RecoveryKeyPair.generate()
        for (name, pem) in [("signing.key", signing.privatePEM), ("signing.pub", signing.publicPEM), ("recovery.pub", recovery.publicPEM)] {
            try pem.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        return folder
    }

    func script(_ folder: String, _ volumes: String, id: String) -> String {
        """
        local standby = require "standby"
        local inv = standby.inventory.load({ "\(folder)/pv.json", "\(folder)/pvc.json" }, { cluster = "shop-prod" })
        local sel = standby.select{ inventory = inv, namespaces = { "shop" } }
        local point = standby.capture{ selection = sel, id = "\(id)", to = "\(folder)/points", volumes = \(volumes),
          signing_key = "\(folder)/signing.key", recovery_key = "\(folder)/recovery.pub" }
        local opened = standby.points.open("\(folder)/points", { verify_key = "\(folder)/signing.pub" }):open("\(id)")
        return point.partial, point.gaps and point.gaps[1] and point.gaps[1].what or "", #opened:volumes()
        """
    }

    @Test("volumes = true with a selected EBS volume and no recovery_region is an error at the call naming the volume and what to pass; excluded, the point is whole")
    func uncopiedVolumeIsAnErrorAtTheCall() throws {
        let folder = try folder()
        let (error, path) = try Fixture.failure(script(folder, "true", id: "a-volumes"))
        let message = try #require(error?.message)
        #expect(message.hasPrefix("\(path):4:") || message.hasPrefix("\(path):5:"), "\(message)")
        #expect(message.contains("shop-prod/orders-db (EBS volume vol-0a1b2c3d4e5f60718)"), "\(message)")
        #expect(message.contains("recovery_region = "), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/points/a-volumes"), "no point is written")

        let (whole, _) = try Fixture.run(script(folder, "{ exclude = \"*/orders-*\" }", id: "b-excluded"), folder: folder)
        #expect(whole[0] == false && whole[2] == 0)
    }

    @Test("volumes of the wrong type, or an unknown field, is an error naming the script line")
    func badVolumesOption() throws {
        let folder = try folder()
        for (value, words) in [("5", "field 'volumes' must be true or a table"), ("{ recovery = \"us-west-2\" }", "recovery")] {
            let (error, path) = try Fixture.failure(script(folder, value, id: "c-bad"))
            let message = try #require(error?.message)
            #expect(message.hasPrefix("\(path):4:") || message.hasPrefix("\(path):5:"), "\(message)")
            #expect(message.contains(words), "\(message)")
        }
    }
}
