import Foundation
import StandbyCore
import StandbyLua
import Testing

/// Mistakes in calls of `standby.aws/kube/azure.discover`, `standby.inventory.merge` and
/// `plan:apply` are reported at the script's line before anything is read or sent (no server
/// runs in these tests; none is reached).
@Suite("Live connector and plan:apply argument errors")
struct ConnectorBindingErrorTests {
    /// The sample estate's AWS files: a small inventory with one EKS cluster.
    static let awsEstate = URL(fileURLWithPath: Fixture.stdlib).deletingLastPathComponent()
        .appendingPathComponent("scripts/estate/aws").path

    /// Lines 1-6: a failover plan of the sample EKS cluster, as `plan`.
    static let planPrelude = """
        local standby = require "standby"
        local inv = standby.inventory.load("\(awsEstate)")
        local sel = standby.select{ inventory = inv, roots = { inv:find{ type = "AWS::EKS::Cluster" }[1].id } }
        local to = { aws = { account = "222222222222", region = "us-west-2" } }
        local plan = standby.plan{ translation = standby.translate{ selection = sel, mode = "failover", to = to } }
        assert(plan.summary.eks_requests > 0)
        """

    /// Runs `prelude` and then `statement` on the next line; the message it fails with, which
    /// must name that line.
    func message(_ statement: String, after prelude: String = "local standby = require \"standby\"",
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        let (error, path) = try Fixture.failure(prelude + "\n" + statement + "\n")
        let failure = try #require(error, "\(statement) did not fail", sourceLocation: sourceLocation)
        #expect(failure.kind == .runtime, sourceLocation: sourceLocation)
        let line = prelude.split(separator: "\n", omittingEmptySubsequences: false).count + 1
        let prefix = "\(path):\(line): "
        #expect(failure.message.hasPrefix(prefix), "\(failure.message)", sourceLocation: sourceLocation)
        return failure.message.hasPrefix(prefix) ? String(failure.message.dropFirst(prefix.count)) : failure.message
    }

    @Test func applyWithoutTarget() throws {
        #expect(try message("plan:apply{}", after: Self.planPrelude)
                == "bad argument #1 to 'apply' (field 'target' is required: a table naming where to restore, "
                + "e.g. { aws = { profile = \"dr\" }, kube = { context = \"dr\" } })")
        #expect(try message("plan:apply()", after: Self.planPrelude) == "bad argument #1 to 'apply' (table expected, got no value)")
    }

    @Test func applyWithAnUnknownTargetSuggestsTheKnownOne() throws {
        #expect(try message("plan:apply{ target = { kub = { context = \"dr\" } } }", after: Self.planPrelude)
                == "bad argument #1 to 'apply' (target: unknown field 'kub' (did you mean 'kube'?); known fields: aws, kube, azure)")
    }

    @Test func applyWithAnUnknownExistingPolicy() throws {
        #expect(try message("plan:apply{ target = { aws = { profile = \"dr\" } }, existing = \"bogus\" }", after: Self.planPrelude)
                == "bad argument #1 to 'apply' (field 'existing' must be \"skip\" or \"update\", got \"bogus\")")
    }

    @Test func applyHooksTimeoutsAndInFlightAreCheckedBeforeAnyRequest() throws {
        #expect(try message("plan:apply{ target = { aws = true }, after = { { kind = \"Deployment\" } } }", after: Self.planPrelude)
                == "bad argument #1 to 'apply' (after[1]: field 'run' is required: function(object, kube) run when the object is ready)")
        #expect(try message("plan:apply{ target = { aws = true }, after = { kind = \"Deployment\" } }", after: Self.planPrelude)
                == "bad argument #1 to 'apply' (field 'after' must be a list of tables ({ { kind = ..., run = function ... end } }), "
                + "got a table with named fields)")
        #expect(try message("plan:apply{ target = { aws = true }, after = { { kind = \"Deployment\", run = 1 } } }", after: Self.planPrelude)
                == "bad argument #1 to 'apply' (after[1].run must be a function, got number)")
        #expect(try message("plan:apply{ target = { aws = true }, after = { { knd = \"x\", run = print } } }", after: Self.planPrelude)
                == "apply: after[1]: unknown field 'knd' (did you mean 'kind'?); known fields: kind, namespace, label, name")
        #expect(try message("plan:apply{ target = { aws = true }, timeouts = { Deployment = \"soon\" } }", after: Self.planPrelude)
                == "bad argument #1 to 'apply' (timeouts.Deployment must be a number of seconds (0: do not wait), got string)")
        #expect(try message("plan:apply{ target = { aws = true }, in_flight = 0 }", after: Self.planPrelude)
                == "bad argument #1 to 'apply' (field 'in_flight' must be an integer from 1 to 256)")
    }

    @Test func verifyNeedsAKubeTarget() throws {
        #expect(try message("plan:verify{}", after: Self.planPrelude)
                == "bad argument #1 to 'verify' (field 'target' is required: a table naming the recovery clusters, e.g. { kube = { context = \"dr\" } })")
        #expect(try message("plan:verify{ target = { kube = {}, aws = true } }", after: Self.planPrelude)
                == "bad argument #1 to 'verify' (target: unknown field 'aws'; verify reads Kubernetes clusters: target.kube)")
    }

    @Test func azureDiscoverNeedsASubscription() throws {
        #expect(try message("standby.azure.discover{ resource_group = \"rg-payments-prod\" }")
                == "bad argument #1 to 'azure.discover' (field 'subscription' is required: the subscription id to read)")
        #expect(try message("standby.azure.discover()")
                == "bad argument #1 to 'azure.discover' (table expected, got no value)")
    }

    @Test func kubeDiscoverNamesAMissingKubeconfig() throws {
        #expect(try message("standby.kube.discover{ kubeconfig = \"/nonexistent/standby-test/kubeconfig\" }")
                == "kubeconfig /nonexistent/standby-test/kubeconfig does not exist")
        #expect(try message("standby.kube.discover(\"prod\")")
                == "bad argument #1 to 'kube.discover' (table expected, got string)")
    }

    @Test func mergeNeedsAnInventory() throws {
        #expect(try message("standby.inventory.merge()")
                == "bad argument #1 to 'merge' (standby.Inventory expected, got no value)")
    }

    @Test func awsDiscoverSuggestsAKnownField() throws {
        #expect(try message("standby.aws.discover{ regoin = \"us-east-1\" }")
                == "bad argument #1 to 'aws.discover' (unknown field 'regoin' (did you mean 'region'?); "
                + "known fields: region, profile, endpoint, role_arn, external_id, cluster, partial)")
    }
}
