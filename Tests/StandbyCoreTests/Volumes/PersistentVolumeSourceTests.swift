import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Reading a PersistentVolume's cloud volume, on the CSI drivers' own example PVs.
@Suite struct PersistentVolumeSourceTests {
    func pv(_ fixture: String) throws -> JSONValue? {
        guard let text = try Fixtures.text(fixture) else { return nil }
        return try YAMLDocuments.parse(text, source: fixture).first { $0["kind"]?.stringValue == "PersistentVolume" }
    }

    @Test func ebsCSIStaticPV() throws {
        guard let doc = try pv("real/volumes/ebs-csi-static-pv.yaml") else { return }
        let s = try #require(PersistentVolumeSource.read(doc))
        #expect(s.kind == .ebs)
        #expect(s.volumeID == "vol-03c604538dd7d2f41")
        #expect(s.path == "spec.csi.volumeHandle")
        #expect(s.zone == "us-east-2c")
        #expect(s.sizeGiB == 5)
    }

    @Test func azureDiskCSIStaticPV() throws {
        guard let doc = try pv("k8s/azuredisk-static-pv.yaml") else { return }
        let s = try #require(PersistentVolumeSource.read(doc))
        #expect(s.kind == .azureDisk)
        #expect(s.volumeID.hasPrefix("/subscriptions/"))
        #expect(s.volumeID.contains("/providers/microsoft.compute/disks/"))
    }

    @Test func efsStaticPV() throws {
        guard let doc = try pv("k8s/efs-static-pv.yaml") else { return }
        let s = try #require(PersistentVolumeSource.read(doc))
        #expect(s.kind == .efs)
        #expect(s.volumeID == "fs-e8a95a42")
        #expect(!s.kind.isSnapshotted)
    }

    @Test func azureFilesCSIStaticPV() throws {
        guard let doc = try pv("real/volumes/azurefile-csi-static-pv.yaml") else { return }
        let s = try #require(PersistentVolumeSource.read(doc))
        #expect(s.kind == .azureFiles)
        // The account is in the secret, not the PV: said so rather than guessed.
        #expect(s.volumeID == "(storage account from the secret)/EXISTING_FILE_SHARE_NAME")
    }

    @Test func inTreeEBSWithZoneInTheHandle() throws {
        // The documented in-tree form `aws://<zone>/<volume id>` (see SOURCES.md).
        let doc = try #require(try YAMLDocuments.parse("""
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: legacy}
            spec:
              capacity: {storage: 1Gi}
              awsElasticBlockStore: {fsType: ext4, volumeID: "aws://eu-central-1c/vol-03d3cd818a2c2def3"}
            """).first)
        let s = try #require(PersistentVolumeSource.read(doc))
        #expect(s.kind == .ebs)
        #expect(s.volumeID == "vol-03d3cd818a2c2def3")
        #expect(s.zone == "eu-central-1c")
        #expect(s.path == "spec.awsElasticBlockStore.volumeID")
        #expect(s.driver == "kubernetes.io/aws-ebs")
    }

    @Test func inTreeAzureDisk() throws {
        let doc = try #require(try YAMLDocuments.parse("""
            kind: PersistentVolume
            metadata: {name: d}
            spec:
              azureDisk: {kind: Managed, diskName: myAKSDisk, diskURI: /subscriptions/s/resourceGroups/MC_a_b_eastus/providers/Microsoft.Compute/disks/myAKSDisk}
            """).first)
        let s = try #require(PersistentVolumeSource.read(doc))
        #expect(s.kind == .azureDisk && s.path == "spec.azureDisk.diskURI")
    }

    @Test func otherVolumesAreNotCloudVolumes() throws {
        let doc = try #require(try YAMLDocuments.parse("kind: PersistentVolume\nspec: {nfs: {server: a, path: /x}}").first)
        #expect(PersistentVolumeSource.read(doc) == nil)
    }

    @Test(arguments: [("64Gi", 64), ("5G", 5), ("1Ti", 1024), ("512Mi", 1), ("10737418240", 10)])
    func quantities(_ q: String, _ gib: Int) {
        #expect(PersistentVolumeSource.gibibytes(q) == gib)
    }

    @Test func badQuantity() { #expect(PersistentVolumeSource.gibibytes("lots") == nil) }
}
