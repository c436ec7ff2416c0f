/// What a cluster's job asks for, from about how many Kubernetes objects the cluster holds.
///
/// A capture holds the discovered objects as parsed JSON and their sealed copies while it writes
/// the point: measured on the sample estate and the bench's generated estates at roughly 10 to
/// 20 KiB per object all told, so 24 KiB per object is asked for, over a 128 MiB base (the
/// runtime, Lua, libcurl, OpenSSL). The limit is twice the request; the Lua memory ceiling
/// (`--memory`) is three quarters of the limit, so a runbook that grows past it fails with the
/// sandbox's error naming its line instead of being killed by the kernel. CPU: 100m, plus 50m
/// per 5,000 objects (discovery is mostly waiting on the API server), at most 2 cores; no CPU
/// limit (throttling only makes the deadline harder to meet).
public struct FleetSizing: Sendable, Equatable {
    public var memoryRequestMiB: Int
    public var memoryLimitMiB: Int
    public var cpuRequestMillis: Int
    /// The Lua memory ceiling passed as `--memory`.
    public var luaMemoryMiB: Int
    /// The instruction budget passed as `--budget`: the default, or 50,000 per object when more.
    public var instructionBudget: Int

    public init(objects: Int) {
        let raw = 128 + (objects * 24 + 1023) / 1024
        memoryRequestMiB = max(256, (raw + 63) / 64 * 64)
        memoryLimitMiB = memoryRequestMiB * 2
        luaMemoryMiB = memoryLimitMiB * 3 / 4
        cpuRequestMillis = min(2000, 100 + objects / 5000 * 50)
        instructionBudget = max(250_000_000, objects * 50_000)
    }
}
