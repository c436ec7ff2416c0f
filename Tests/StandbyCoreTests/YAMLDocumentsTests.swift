import Testing
@testable import StandbyCore

@Suite struct YAMLDocumentsTests {
    @Test func multipleDocumentsSkipEmptyOnesAndKeepPositions() throws {
        let docs = try YAMLDocuments.documents("a: 1\n---\n---\n# only a comment\n---\nb: 2\n...\n", source: "m.yaml")
        #expect(docs.map(\.value) == [["a": 1], ["b": 2]])
        #expect(docs.map(\.index) == [0, 3])
        #expect(docs.map(\.line) == [1, 6])
    }

    @Test func booleansAreTrueFalseOnly() throws {
        let v = try YAMLDocuments.parse("""
            a: true
            b: True
            c: TRUE
            d: false
            e: False
            f: yes
            g: no
            h: on
            i: off
            j: y
            k: N
            """)[0]
        #expect(v["a"] == true && v["b"] == true && v["c"] == true)
        #expect(v["d"] == false && v["e"] == false)
        #expect(v["f"] == "yes" && v["g"] == "no" && v["h"] == "on" && v["i"] == "off" && v["j"] == "y" && v["k"] == "N")
    }

    @Test func nullsNumbersAndStrings() throws {
        let v = try YAMLDocuments.parse("""
            n1: ~
            n2: null
            n3:
            n4: NULL
            i1: 42
            i2: -7
            i3: +3
            i4: 0x1F
            i5: 0o17
            i6: 0644
            i7: 09
            i8: 0
            big: 99999999999999999999
            f1: 1.5
            f2: 1e3
            f3: .5
            f4: -.inf
            s1: 1.2.3
            s2: 1_000
            s3: "123"
            s4: '456'
            s5: !!str 789
            s6: 2024-01-02
            s7: -x
            s8: 12:30
            t1: !!int "12"
            t2: !!float 3
            t3: !!null x
            lit: |
              123
            after: 1
            """)[0]
        #expect(v["n1"] == .null)
        #expect(v["n2"] == .null && v["n3"] == .null && v["n4"] == .null)
        #expect(v["i1"] == 42 && v["i2"] == -7 && v["i3"] == 3 && v["i4"] == 31 && v["i5"] == 15)
        #expect(v["i6"] == 420)
        #expect(v["i7"] == 9)
        #expect(v["i8"] == 0)
        #expect(v["big"] == .double(99999999999999999999.0))
        #expect(v["f1"] == 1.5 && v["f2"] == .double(1000) && v["f3"] == 0.5 && v["f4"] == .double(-.infinity))
        #expect(v["s1"] == "1.2.3" && v["s2"] == "1_000" && v["s3"] == "123" && v["s4"] == "456" && v["s5"] == "789")
        #expect(v["s6"] == "2024-01-02" && v["s7"] == "-x" && v["s8"] == "12:30")
        #expect(v["t1"] == 12 && v["t2"] == .int(3) && v["t3"] == .null)
        #expect(v["lit"] == "123\n")
    }

    @Test func keyOrderAnchorsAliasesAndMerges() throws {
        let v = try YAMLDocuments.parse("""
            z: 1
            base: &b {x: 1, y: 2}
            list: &l [a, b]
            copy: *l
            derived:
              <<: *b
              y: 3
              w: 4
            explicitFirst:
              y: 9
              <<: *b
            1: numeric key
            true: bool key
            """)[0]
        #expect(v.objectValue?.keys == ["z", "base", "list", "copy", "derived", "explicitFirst", "1", "true"])
        #expect(v["copy"] == ["a", "b"])
        #expect(v["derived"]?.objectValue?.keys == ["x", "y", "w"])
        #expect(v["derived"] == ["x": 1, "y": 3, "w": 4])
        #expect(v["explicitFirst"] == ["y": 9, "x": 1])
    }

    private func error(_ text: String) -> String? {
        do {
            _ = try YAMLDocuments.parse(text, source: "bad.yaml")
            return nil
        } catch let e as YAMLSyntaxError {
            return e.description
        } catch {
            return "unexpected error type: \(error)"
        }
    }

    @Test func errorsNameFileLineAndColumn() {
        #expect(error("a: 1\nb: [1, 2\nc: 3\n")
                == "bad.yaml:3:2: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 4)")
        #expect(error("a: b: c\n") == "bad.yaml:1:5: mapping values are not allowed in this context")
        #expect(error("x: *missing\n") == "bad.yaml:1:4: found undefined alias")
        #expect(error("? [a, b]\n: 1\n") == "bad.yaml:1:3: mapping keys must be scalars to convert to JSON")
        #expect(error("- a\n- b\n") == nil)
    }
}
