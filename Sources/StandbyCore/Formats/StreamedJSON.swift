/// A JSON document that is written as it is made: the members of ``lazyArray`` are produced one at
/// a time while the text is written, and dropped once written, so a report with an entry per
/// object (100,000 of them) never exists as one tree.
///
/// ``materialized`` builds the whole ``JSONValue``, whose text is exactly what
/// ``JSONSerializer/write(_:pretty:chunk:to:)`` writes for the streamed form.
public indirect enum StreamedJSON {
    case value(JSONValue)
    /// An object, member by member.
    case object([(String, StreamedJSON)])
    /// An array of `count` elements, element `n` made by `element(n)` when it is written.
    case lazyArray(count: Int, element: (Int) -> JSONValue)

    /// The whole value, as a tree.
    public var materialized: JSONValue {
        switch self {
        case .value(let v): return v
        case .object(let pairs): return .object(JSONObject(uniqueEntries: pairs.map { ($0.0, $0.1.materialized) }))
        case .lazyArray(let count, let element): return .array((0..<count).map(element))
        }
    }
}

extension JSONSerializer {
    /// Writes the JSON text of a streamed value in pieces of about `chunk` bytes (as
    /// ``write(_:pretty:chunk:to:)`` does for a tree); the text is byte for byte the text of
    /// ``StreamedJSON/materialized``.
    public static func write(_ value: StreamedJSON, pretty: Bool = false, chunk: Int = 1 << 20,
                             to emit: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var failure: (any Error)?
        withoutActuallyEscaping(emit) { emit in
            var writer = JSONWriter(pretty: pretty, out: [])
            writer.out.reserveCapacity(chunk + chunk / 4)
            writer.flushAt = chunk
            writer.flush = { bytes in
                guard failure == nil else { return }
                do { try bytes.withUnsafeBufferPointer { try emit($0) } } catch { failure = error }
            }
            writer.write(value, indent: 0)
            writer.flush?(writer.out)
        }
        if let failure { throw failure }
    }
}

extension JSONWriter {
    /// Writes a streamed value as ``write(_:indent:)`` writes its materialized tree.
    mutating func write(_ value: StreamedJSON, indent: Int) {
        switch value {
        case .value(let v):
            write(v, indent: indent)
        case .object(let pairs):
            if pairs.isEmpty { write(JSONValue.object(JSONObject()), indent: indent); return }
            openContainer(UInt8(ascii: "{"))
            for (k, (key, member)) in pairs.enumerated() {
                beginMember(k, indent: indent, key: key)
                write(member, indent: indent + 1)
            }
            closeContainer(UInt8(ascii: "}"), indent: indent)
        case .lazyArray(let count, let element):
            if count == 0 { write(JSONValue.array([]), indent: indent); return }
            openContainer(UInt8(ascii: "["))
            for k in 0..<count {
                beginMember(k, indent: indent, key: nil)
                write(element(k), indent: indent + 1)
            }
            closeContainer(UInt8(ascii: "]"), indent: indent)
        }
    }
}
