import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Snapshots read from the clouds' own examples: botocore's DescribeSnapshots outputs and the
/// Compute REST API's snapshot examples.
@Suite struct SnapshotCopyTests {
    func load(_ fixture: String, region: String = "us-east-1") throws -> Inventory? {
        guard let path = Fixtures.path(fixture) else { return nil }
        return try InventoryLoader.load(path: path, options: LoadOptions(region: region, account: "012345678910"))
    }

    @Test func completedEBSSnapshot() throws {
        guard let inv = try load("real/volumes/describe-snapshots.json") else { return }
        let r = try #require(inv.resources.first)
        #expect(r.type == "AWS::EC2::Snapshot")
        #expect(inv.get("snap-1234567890abcdef0")?.id == r.id)
        let s = try #require(SnapshotCopy.read(r, in: inv))
        #expect(s.kind == .ebs && s.id == "snap-1234567890abcdef0" && s.volume == "vol-049df61146c4d7901")
        #expect(s.complete && s.sizeGiB == 8 && s.region == "us-east-1")
        #expect(s.taken == ISO8601DateFormatter().date(from: "2014-02-28T21:28:32Z"))
    }

    @Test func pendingCopyIsNotComplete() throws {
        guard let inv = try load("real/volumes/describe-snapshots-pending-copy.json") else { return }
        let s = try #require(inv.resources.first.flatMap { SnapshotCopy.read($0, in: inv) })
        #expect(!s.complete)
        #expect(s.state == "pending 87%")
    }

    @Test func ebsVolumesLoadAndResolveByID() throws {
        guard let inv = try load("real/volumes/describe-volumes.json") else { return }
        let r = try #require(inv.get("vol-049df61146c4d7901"))
        #expect(r.type == "AWS::EC2::Volume")
        #expect(r.id == "arn:aws:ec2:us-east-1:012345678910:volume/vol-049df61146c4d7901")
    }

    @Test func incrementalAzureSnapshot() throws {
        guard let inv = try load("real/volumes/Snapshot_GetIncrementalSnapshot.json") else { return }
        let r = try #require(inv.resources.first { $0.type?.lowercased() == "microsoft.compute/snapshots" })
        let s = try #require(SnapshotCopy.read(r, in: inv))
        #expect(s.kind == .azureDisk)
        #expect(s.volume.hasSuffix("/providers/Microsoft.Compute/disks/myDisk"))
        #expect(s.complete && s.sizeGiB == 100 && s.region == "westus")
        // Azure writes microseconds; the time is still read.
        let expected = try #require(ISO8601DateFormatter().date(from: "2016-12-28T04:41:35Z"))
        #expect(abs((s.taken ?? .distantPast).timeIntervalSince(expected) - 0.079) < 0.001)
    }

    @Test func copyStartStillUpdatingIsNotComplete() throws {
        guard let inv = try load("real/volumes/Snapshot_Create_FromAnExistingSnapshotInDifferentRegion.json") else { return }
        for r in inv.resources where r.type?.lowercased() == "microsoft.compute/snapshots" {
            // Its source (written without the leading slash) is a snapshot the file does not hold,
            // and it carries no volume tag: no volume can be named, so it is not taken for a copy.
            #expect(SnapshotCopy.read(r, in: inv) == nil)
        }
        #expect(ARMLocation.normalized("West US") == "westus")
    }

    @Test func ages() {
        #expect(SnapshotTime.age(42) == "42 s")
        #expect(SnapshotTime.age(3 * 3600 + 12 * 60) == "3 h 12 min")
        #expect(SnapshotTime.age(2 * 86_400 + 4 * 3600) == "2 d 4 h")
    }
}
