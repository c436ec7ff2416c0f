extension FuzzTarget {
    /// JSON: parse; a refusal names line and column; an accepted value serializes (compact and
    /// pretty) to text that parses back to the same value and serializes to the same bytes.
    static func json(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Outcome {
        let value: JSONValue
        do {
            value = try JSONParser.parse(buffer: bytes, source: "fuzz.json")
        } catch let error as SyntaxError {
            try FuzzTarget.json.expectPositioned(error, "JSON")
            return .refused
        }
        try FuzzTarget.json.expect(depth(value) <= JSONParser.maximumDepth,
                                   "accepted nesting of \(depth(value)) levels, beyond \(JSONParser.maximumDepth)")
        for pretty in [false, true] {
            try FuzzTarget.json.expectRoundTrip(value, pretty: pretty)
        }
        return .accepted
    }

    /// YAML documents, through ``YAMLDocuments/documents(_:source:)`` (the inventory loader's
    /// entry, ``YAMLLimits`` included): a refusal names line and column; accepted documents are
    /// in order, non-null, nested no deeper than ``YAMLLimits/maximumDepth``, and can be written
    /// as JSON that reads back the same (recovery points hold JSON).
    static func yaml(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Outcome {
        let documents: [YAMLDocuments.Document]
        do {
            documents = try YAMLDocuments.documents(String(decoding: bytes, as: UTF8.self), source: "fuzz.yaml")
        } catch let error as SyntaxError {
            try FuzzTarget.yaml.expectPositioned(error, "YAML")
            return .refused
        }
        var previous = -1
        for document in documents {
            try FuzzTarget.yaml.expect(document.index > previous, "document index \(document.index) after \(previous)")
            previous = document.index
            try FuzzTarget.yaml.expect(document.line >= 1, "document \(document.index) at line \(document.line)")
            try FuzzTarget.yaml.expect(!document.value.isNull, "document \(document.index) is null but was kept")
            let d = depth(document.value)
            try FuzzTarget.yaml.expect(d <= YAMLLimits.maximumDepth,
                                       "document \(document.index) nests \(d) levels, beyond the limit of \(YAMLLimits.maximumDepth)")
            // Non-finite floats (`.inf`, `.nan`) are written as null: compare texts, not values.
            let text = JSONSerializer.serialize(document.value)
            let again: JSONValue
            do { again = try JSONParser.parse(text) } catch {
                throw FuzzInvariantViolation(.yaml, "document \(document.index) written as JSON does not read back: \(error)")
            }
            try FuzzTarget.yaml.expect(JSONSerializer.serialize(again) == text,
                                       "document \(document.index) written as JSON reads back different: \(excerpt(text))")
        }
        return documents.isEmpty ? .refused : .accepted
    }

    /// `value` serialized, parsed and serialized again gives the same value and the same text.
    func expectRoundTrip(_ value: JSONValue, pretty: Bool) throws {
        let text = JSONSerializer.serialize(value, pretty: pretty)
        let again: JSONValue
        do { again = try JSONParser.parse(text) } catch {
            throw FuzzInvariantViolation(self, "serialized value does not parse (pretty: \(pretty)): \(error)")
        }
        try expect(again == value, "value changes through its JSON text (pretty: \(pretty)): \(Self.excerpt(text))")
        try expect(JSONSerializer.serialize(again, pretty: pretty) == text,
                   "JSON text changes when written again (pretty: \(pretty)): \(Self.excerpt(text))")
    }

    /// The first 300 characters of `text`, for messages.
    static func excerpt(_ text: String) -> String {
        text.count <= 300 ? text : String(text.prefix(300)) + "…"
    }
}
