import Foundation
import Testing
@testable import StandbyCore

@Suite struct JSONSerializerTests {
    @Test func compactOutputKeepsOrderAndTypes() {
        let v: JSONValue = ["b": [1, 2.5, true, nil, "x"], "a": [:], "c": []]
        #expect(JSONSerializer.serialize(v) == #"{"b":[1,2.5,true,null,"x"],"a":{},"c":[]}"#)
    }

    @Test func numbersPrintExactlyAndFloatsStayFloats() {
        #expect(JSONSerializer.serialize(.int(Int64.min)) == "-9223372036854775808")
        #expect(JSONSerializer.serialize(.int(Int64.max)) == "9223372036854775807")
        #expect(JSONSerializer.serialize(.int(0)) == "0")
        #expect(JSONSerializer.serialize(.int(-7)) == "-7")
        #expect(JSONSerializer.serialize(.double(1.0)) == "1.0")
        #expect(JSONSerializer.serialize(.double(-0.0)) == "-0.0")
        #expect(JSONSerializer.serialize(.double(0.1)) == "0.1")
        #expect(JSONSerializer.serialize(.double(1e20)) == "1e+20")
        #expect(JSONSerializer.serialize(.double(1e-7)) == "1e-07")
        #expect(JSONSerializer.serialize(.double(123456.789)) == "123456.789")
        #expect(JSONSerializer.serialize(.double(.nan)) == "null")
        #expect(JSONSerializer.serialize(.double(.infinity)) == "null")
    }

    @Test func escapesStrings() {
        let s = JSONSerializer.serialize(.string("a\"b\\c\n\r\t\u{08}\u{0C}\u{01}\u{1F}/é😀"))
        #expect(s == #""a\"b\\c\n\r\t\b\f\u0001\u001f/é😀""#)
        #expect(JSONSerializer.serialize(["k\"ey": "v"]) == #"{"k\"ey":"v"}"#)
    }

    @Test func prettyPrintsWithTwoSpaces() {
        let v: JSONValue = ["a": [1, ["b": nil]], "e": [:], "f": []]
        let expected = """
            {
              "a": [
                1,
                {
                  "b": null
                }
              ],
              "e": {},
              "f": []
            }
            """
        #expect(JSONSerializer.serialize(v, pretty: true) == expected)
    }

    @Test func roundTripsThroughTheParser() throws {
        let v: JSONValue = [
            "ints": [0, -1, .int(Int64.max), .int(Int64.min)],
            "doubles": [0.1, 1e-7, 123456.789, 1.0, 5e-324, 1.7976931348623157e308, -2.5],
            "text": ["", "\u{0}", "tab\there", "\u{2028}", "🎉"],
            "nested": ["x": [["y": true]]],
        ]
        for pretty in [false, true] {
            #expect(try JSONParser.parse(JSONSerializer.serialize(v, pretty: pretty)) == v)
        }
    }

    @Test func appendsToBytesAndData() {
        var bytes: [UInt8] = Array("prefix:".utf8)
        JSONSerializer.serialize([1, 2], into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "prefix:[1,2]")
        var data = Data("x=".utf8)
        JSONSerializer.serialize(["a": 1.5], into: &data)
        #expect(String(decoding: data, as: UTF8.self) == #"x={"a":1.5}"#)
        #expect(JSONSerializer.data(true) == Data("true".utf8))
        #expect(JSONValue.string("q").description == #""q""#)
    }
}
