import StandbyCore
import StandbyLua
import Testing

/// `standby.json.decode(standby.json.encode(x))` gives back `x` for generated values: nulls,
/// empty objects and empty arrays, 64-bit integers at their bounds, floats with integral values
/// (`1.0` stays a float), negative zero, and strings of any Unicode (escapes, control
/// characters, astral planes). The generator is seeded, so a failure names a value that can be
/// reproduced.
@Suite struct JSONRoundTripPropertyTests {
    /// Seeded, so a failure names a value that can be reproduced.
    typealias Generator = SplitMix64

    static let specialIntegers: [Int64] = [0, 1, -1, 9_007_199_254_740_993, -9_007_199_254_740_993, .max, .min, .max - 1, .min + 1]
    static let specialDoubles: [Double] = [1.0, -1.0, 0.0, -0.0, 0.5, 1e300, -1e-300, 5e-324, 9_007_199_254_740_993.0,
                                          1.7976931348623157e308, 123456789.0, 0.1]
    static let scalars: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1}", "\u{1F}",
                                            "\u{7F}", "é", "ß", "☃", "\u{2028}", "\u{FEFF}", "\u{FFFD}", "😀", "\u{10FFFF}", "\u{301}"]

    static func string(_ g: inout Generator) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<g.below(8) { s.append(scalars[g.below(scalars.count)]) }
        return String(s)
    }

    static func value(_ g: inout Generator, depth: Int) -> JSONValue {
        switch g.below(depth >= 4 ? 6 : 9) {
        case 0: return .null
        case 1: return .bool(g.below(2) == 0)
        case 2: return .int(g.below(2) == 0 ? specialIntegers[g.below(specialIntegers.count)] : Int64(bitPattern: g.next()))
        case 3:
            if g.below(2) == 0 { return .double(specialDoubles[g.below(specialDoubles.count)]) }
            let d = Double(bitPattern: g.next())
            return .double(d.isFinite ? d : Double(g.below(1000)))
        case 4, 5: return .string(string(&g))
        case 6: return .array((0..<g.below(4)).map { _ in value(&g, depth: depth + 1) })
        default:
            var object = JSONObject()
            for _ in 0..<g.below(4) { object[string(&g)] = value(&g, depth: depth + 1) }
            return .object(object)
        }
    }

    /// A Lua expression that builds `value`, tagging arrays and objects as the decoder does.
    static func lua(_ value: JSONValue) -> String {
        switch value {
        case .null: return "standby.null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return i == .min ? "math.mininteger" : "(\(i))"
        case .double(let d): return "(\(d.description))"   // always has '.' or 'e': a Lua float
        case .string(let s): return luaString(s)
        case .array(let items): return "standby.array({" + items.map(lua).joined(separator: ", ") + "})"
        case .object(let object):
            return "standby.object({" + object.pairs.map { "[\(luaString($0.key))] = \(lua($0.value))" }.joined(separator: ", ") + "})"
        }
    }

    static func luaString(_ s: String) -> String {
        "\"" + s.utf8.map { b in
            (0x20..<0x7F).contains(b) && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") ? String(UnicodeScalar(b)) : Self.decimalEscape(b)
        }.joined() + "\""
    }

    /// `\ddd`, always three digits so that a digit after it is not read as part of it.
    static func decimalEscape(_ b: UInt8) -> String {
        let digits = String(b)
        return "\\" + String(repeating: "0", count: 3 - digits.count) + digits
    }

    /// Lua that compares two values exactly: integer vs float, the sign of zero, array vs
    /// object tags, every key both ways; returns nil or where they differ.
    static let compare = """
        local function differ(a, b, path)
          if type(a) ~= type(b) then return path .. ": " .. type(a) .. " became " .. type(b) end
          if type(a) == "number" then
            if math.type(a) ~= math.type(b) then return path .. ": " .. math.type(a) .. " became " .. math.type(b) end
            if a ~= b then return path .. ": " .. tostring(a) .. " became " .. tostring(b) end
            if a == 0 and math.type(a) == "float" and 1 / a ~= 1 / b then return path .. ": the sign of zero changed" end
            return nil
          end
          if type(a) ~= "table" then
            if a ~= b then return path .. ": " .. tostring(a) .. " became " .. tostring(b) end
            return nil
          end
          if getmetatable(a) ~= getmetatable(b) then
            return path .. ": " .. tostring(getmetatable(a)) .. " became " .. tostring(getmetatable(b))
          end
          for k, v in pairs(a) do
            local d = differ(v, b[k], path .. "[" .. tostring(k) .. "]")
            if d then return d end
          end
          for k in pairs(b) do
            if a[k] == nil then return path .. ": key " .. tostring(k) .. " appeared" end
          end
          return nil
        end
        """

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func decodeOfEncodeGivesBackTheValue(seed: UInt64) throws {
        var g = Generator(seed: seed)
        let values = (0..<60).map { _ in Self.value(&g, depth: 0) }
        var script = "local standby = require 'standby'\nlocal json = standby.json\n" + Self.compare + "\nlocal out = {}\n"
        for (i, v) in values.enumerated() {
            script += "do local x = \(Self.lua(v)); local text = json.encode(x); out[\(i + 1)] = differ(x, json.decode(text), 'value') or text end\n"
        }
        script += "return table.unpack(out, 1, \(values.count))\n"
        let results = try Fixture.run(script).results
        try #require(results.count == values.count)
        for (value, result) in zip(values, results) {
            // Each value comes back unchanged, and its text is the JSON Swift reads as the same value.
            guard case .string(let text) = result, let parsed = try? JSONParser.parse(text) else {
                Issue.record("seed \(seed): \(value) did not round-trip through Lua: \(result)")
                continue
            }
            #expect(Self.sameIgnoringKeyOrder(parsed, value), "seed \(seed): \(value) encoded as \(text)")
        }
    }

    /// Values equal with object keys in any order (the encoder sorts keys; the generator does not).
    static func sameIgnoringKeyOrder(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameIgnoringKeyOrder($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.pairs.allSatisfy { p in y[p.key].map { sameIgnoringKeyOrder(p.value, $0) } ?? false }
        case (.double(let x), .double(let y)):
            return x == y && x.sign == y.sign
        default:
            return a == b
        }
    }
}
