/// Limits a `LuaRuntime` enforces on the scripts it runs.
///
/// The instruction budget counts Lua VM instructions per top-level entry (each `run` or top-level
/// `call`); the memory ceiling bounds everything the Lua state allocates and the host's estimate of
/// the objects it holds for the script (inventories, selections, translations, plans). Neither failure crashes
/// the host: the script stops with a `LuaScriptError` of kind `.budget` or `.memory`.
public struct LuaLimits: Sendable, Equatable {
    /// Lua VM instructions a script may execute; `Int.max` means unlimited. Counted in steps of
    /// 1000 instructions. Work done in C is charged too: string patterns by matcher steps, scans
    /// and comparisons by bytes (8 per unit), garbage by bytes freed (16 per unit), library loops
    /// by elements touched.
    public var instructionBudget: Int
    /// Bytes the Lua state may allocate; `Int.max` means unlimited.
    public var memoryCeiling: Int
    /// Whether scripts get `os.getenv`.
    public var allowGetenv: Bool

    /// 250 million instructions: about a second and a half of pure Lua on the development machines
    /// (150–200 million instructions per second), the same for string work.
    public static let defaultInstructionBudget = 250_000_000
    /// Two GiB. The ceiling covers what the host holds for the script too (inventories,
    /// selections, translations, plans: see HostMemory.swift); the 100,000-Deployment plan of the
    /// benchmark holds about 1.1 GiB.
    public static let defaultMemoryCeiling = 2 << 30

    public init(
        instructionBudget: Int = LuaLimits.defaultInstructionBudget,
        memoryCeiling: Int = LuaLimits.defaultMemoryCeiling,
        allowGetenv: Bool = false
    ) {
        self.instructionBudget = instructionBudget
        self.memoryCeiling = memoryCeiling
        self.allowGetenv = allowGetenv
    }

    /// No instruction budget and no memory ceiling (the sandbox still applies).
    public static let unlimited = LuaLimits(instructionBudget: .max, memoryCeiling: .max)

    var hasBudget: Bool { instructionBudget > 0 && instructionBudget < Int.max }
    var hasCeiling: Bool { memoryCeiling > 0 && memoryCeiling < Int.max }

    /// "64 MiB", "1.5 MiB".
    var ceilingDescription: String {
        let mib = 1024 * 1024
        if memoryCeiling % mib == 0 { return "\(memoryCeiling / mib) MiB" }
        let tenths = (memoryCeiling * 10 + mib / 2) / mib
        return "\(tenths / 10).\(tenths % 10) MiB"
    }
}
