/// A script failed: it did not compile, raised an error, ran out of instructions or memory.
///
/// `message` reads like Lua's own ("scripts/drill.lua:12: attempt to index a nil value"),
/// `traceback` is Lua's stack traceback starting at the user's frame ("" when there is none: syntax
/// and memory errors).
public struct LuaScriptError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// The chunk did not compile (or could not be read).
        case syntax
        /// An error raised while the script ran.
        case runtime
        /// The instruction budget ran out.
        case budget
        /// The memory ceiling was reached (or the system ran out of memory).
        case memory
    }

    public var kind: Kind
    public var message: String
    public var traceback: String

    public init(kind: Kind, message: String, traceback: String = "") {
        self.kind = kind
        self.message = message
        self.traceback = traceback
    }

    /// The message, then the traceback on the following lines.
    public var description: String {
        traceback.isEmpty ? message : "\(message)\n\(traceback)"
    }
}

/// An error a Swift function exposed to Lua throws; Lua sees `message` prefixed with the calling
/// script's position ("scripts/x.lua:3: message").
///
/// Any other `Error` thrown by a `LuaFunction` is reported the same way, using its description.
public struct LuaError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A bad argument to a Swift function exposed to Lua, worded like Lua's own:
/// "bad argument #1 to 'get' (string expected, got number)".
public struct LuaArgumentError: Error, CustomStringConvertible, Sendable {
    /// The argument's position (1 is the first argument after `self` for methods).
    public var argument: Int
    public var function: String
    /// What is wrong, e.g. "string expected, got number".
    public var problem: String

    public init(argument: Int, function: String, problem: String) {
        self.argument = argument
        self.function = function
        self.problem = problem
    }

    public var description: String {
        argument == 0
            ? "calling '\(function)' on bad self (\(problem))"
            : "bad argument #\(argument) to '\(function)' (\(problem))"
    }
}
