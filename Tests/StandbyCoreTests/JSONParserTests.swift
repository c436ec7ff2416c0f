import Foundation
import Testing
@testable import StandbyCore

@Suite struct JSONParserTests {
    @Test func parsesNestedValuesKeepingKeyOrder() throws {
        let v = try JSONParser.parse(#"{"z": [1, -2, 3.5, true, false, null], "a": {"k": "v"}, "m": ""}"#)
        guard case .object(let o) = v else { Issue.record("not an object"); return }
        #expect(o.keys == ["z", "a", "m"])
        #expect(o["z"] == .array([.int(1), .int(-2), .double(3.5), .bool(true), .bool(false), .null]))
        #expect(o["a"]?["k"] == .string("v"))
        #expect(o["m"] == .string(""))
    }

    @Test func integersStayExactAndOverflowToDouble() throws {
        #expect(try JSONParser.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(Int64.min))
        #expect(try JSONParser.parse("9223372036854775808") == .double(9223372036854775808.0))
        #expect(try JSONParser.parse("-9223372036854775809") == .double(-9223372036854775809.0))
        #expect(try JSONParser.parse("0") == .int(0))
        #expect(try JSONParser.parse("-0") == .int(0))
        #expect(try JSONParser.parse("1.0") == .double(1.0))
        #expect(try JSONParser.parse("1e2") == .double(100))
        #expect(try JSONParser.parse("-2.5E-3") == .double(-0.0025))
        #expect(try JSONParser.parse("0.1") == .double(0.1))
    }

    @Test func stringEscapesAndSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(try JSONParser.parse(#""caf\u00e9 \u00E9""#) == .string("café é"))
        #expect(try JSONParser.parse(#""\ud83d\ude00!""#) == .string("😀!"))
        #expect(try JSONParser.parse("\"naïve 日本\"") == .string("naïve 日本"))
    }

    @Test func duplicateKeysKeepTheLastValueAtTheFirstPosition() throws {
        let v = try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(v.objectValue?.keys == ["a", "b"])
        #expect(v["a"] == .int(3))
        // Large objects take the Set path.
        let many = (0..<20).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let big = try JSONParser.parse("{\(many), \"k3\": \"last\"}")
        #expect(big.objectValue?.count == 20)
        #expect(big["k3"] == .string("last"))
    }

    @Test func longRepeatedKeysAreReadCorrectlyThroughTheKeyCache() throws {
        // 3000 distinct 20-byte keys collide in the 1024-slot cache; every one must come back intact.
        let keys = (0..<3000).map { "serviceAccountName\(String($0, radix: 36).leftPadded(to: 2))" }
        let object = keys.enumerated().map { "\"\($0.element)\": \($0.offset)" }.joined(separator: ",")
        let v = try JSONParser.parse("[{\(object)}, {\(object)}, {\"abcdefghijklmnop\\u0071\": 1, \"abcdefghijklmnopq\": 2}]")
        #expect(v[0]?.objectValue?.keys == keys)
        #expect(v[1]?.objectValue?.keys == keys)
        #expect(v[1]?[keys[2999]] == 2999)
        // An escaped key equal to a plain one is the same key: the later value wins.
        #expect(v[2] == ["abcdefghijklmnopq": 2])
    }

    @Test func acceptsBytesDataSlicesAndBOM() throws {
        let text = "\u{FEFF}{\"a\": [1]}"
        let bytes = Array(text.utf8)
        #expect(try JSONParser.parse(bytes) == ["a": [1]])
        #expect(try JSONParser.parse(Data(bytes)) == ["a": [1]])
        #expect(try JSONParser.parse(bytes[3...]) == ["a": [1]])
    }

    /// Parses `text` and returns the error's description, or nil if it parsed.
    private func error(_ text: String, source: String = "t.json") -> String? {
        do {
            _ = try JSONParser.parse(text, source: source)
            return nil
        } catch let e as JSONSyntaxError {
            return e.description
        } catch {
            return "unexpected error type: \(error)"
        }
    }

    @Test func errorsNameSourceLineAndColumn() {
        #expect(error("{\n  \"a\": 1\n  \"b\": 2\n}", source: "estate/aks.json")
                == "estate/aks.json:3:3: expected ',' or '}' after object member")
        #expect(error("[1, 2\n") == "t.json:2:1: unexpected end of input, expected ',' or ']' after array element")
        #expect(error("[1 2]") == "t.json:1:4: expected ',' or ']' after array element")
        #expect(error("{\"a\" 1}") == "t.json:1:6: expected ':' after object key")
        #expect(error("{1: 2}") == "t.json:1:2: expected a string key, found '1'")
        #expect(error("{\"a\": 1,}") == "t.json:1:9: expected a string key, found '}'")
        #expect(error("") == "t.json:1:1: unexpected end of input, expected a value")
        #expect(error("{} x") == "t.json:1:4: trailing characters after the JSON value: 'x'")
        #expect(error("[\"é\", x]") == "t.json:1:7: unexpected 'x', expected a value")
    }

    @Test func rejectsInvalidTokens() {
        #expect(error("tru") == "t.json:1:1: invalid literal, expected 'true'")
        #expect(error("nulls") == "t.json:1:1: invalid literal, expected 'null'")
        #expect(error("01") == "t.json:1:1: invalid number: leading zeros are not allowed")
        #expect(error("-") == "t.json:1:1: invalid number: expected a digit after '-'")
        #expect(error("1.") == "t.json:1:3: invalid number: expected a digit after '.'")
        #expect(error("1e+") == "t.json:1:4: invalid number: expected a digit in the exponent")
        #expect(error("\"abc") == "t.json:1:1: unterminated string")
        #expect(error("\"a\nb\"") == "t.json:1:3: unescaped control character U+000A in string")
        #expect(error(#""\x""#) == #"t.json:1:2: invalid escape sequence '\x'"#)
        #expect(error(#""\ud83d""#) == #"t.json:1:2: unpaired high surrogate in \u escape"#)
        #expect(error(#""\ude00""#) == #"t.json:1:2: unpaired low surrogate in \u escape"#)
        #expect(error(#""\u12G4""#) == #"t.json:1:2: invalid \u escape, expected 4 hex digits"#)
        #expect(error("NaN") == "t.json:1:1: unexpected 'N', expected a value")
    }

    @Test func numbersBeyondDoubleAreErrorsNotInfinity() {
        #expect(error("1e400") == "t.json:1:1: number out of range: 1e400 is beyond ±1.8e308, the largest magnitude a 64-bit float holds")
        #expect(error("{\"x\": [1, -2.5E+999]}") == "t.json:1:11: number out of range: -2.5E+999 is beyond ±1.8e308, the largest magnitude a 64-bit float holds")
        let digits = "1" + String(repeating: "0", count: 400)
        #expect(error(digits)?.hasPrefix("t.json:1:1: number out of range: 100000000000000000000000… is beyond") == true)
        #expect(error("1.7976931348623157e308") == nil)
        #expect((try? JSONParser.parse("1e-400")) == .double(0))
    }

    @Test func limitsNestingDepth() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(error(deep) == "t.json:1:513: nesting deeper than 512 levels")
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(error(ok) == nil)
    }

    @Test func theNestingCrashersOfYAMLAreRefusedAsJSONToo() {
        // The shapes that crashed the YAML reader (issue 12), 5,000 levels deep.
        let arrays = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        #expect(error(arrays) == "t.json:1:513: nesting deeper than 512 levels")
        let objects = String(repeating: #"{"a":"#, count: 5_000) + "1" + String(repeating: "}", count: 5_000)
        #expect(error(objects) == "t.json:1:2561: nesting deeper than 512 levels")
    }
}
