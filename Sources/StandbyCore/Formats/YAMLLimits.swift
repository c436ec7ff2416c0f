import CYaml

/// The bounds every YAML text Standby reads must stay within, and the check that enforces them
/// before any node is built.
///
/// Yams composes documents recursively, and aliases let a few hundred bytes stand for millions of
/// values (an "alias bomb"). So before a text reaches Yams, ``check(_:source:)`` walks libyaml's
/// event stream once, with no recursion and without expanding anything, and refuses a text that
/// would go beyond:
///
/// | bound | limit |
/// |---|---|
/// | nesting of sequences and mappings, aliases expanded in place | ``maximumDepth`` (256) levels |
/// | values added by expanding aliases (and `<<` merges), whole stream | ``aliasBudget(inputBytes:)``: 1,000,000, or one per input byte if that is more |
/// | bytes of scalar text added by expanding aliases, whole stream | ``aliasByteBudget(inputBytes:)``: 16 MiB, or the input's size if that is more |
///
/// Every YAML reader goes through here: inventory files, kubeconfigs, `estate.yaml`, rule tests,
/// and YAML held in string fields (an `aws-auth` `mapRoles`, a SecretProviderClass `objects`), all
/// through ``YAMLDocuments``. A refusal is a ``YAMLSyntaxError`` naming the source, line and
/// column of the collection or alias that crossed the bound. Text libyaml cannot parse is left to
/// the reader, which reports the syntax error (the check stops at it).
public enum YAMLLimits {
    /// The deepest nesting of sequences and mappings accepted, counting the levels an alias brings
    /// in where it is used. Kubernetes manifests rarely go beyond 20.
    public static let maximumDepth = 256

    /// The number of values aliases may add to a stream of any size.
    public static let minimumAliasBudget = 1_000_000

    /// How many values aliases may add, in total, to a stream of `inputBytes` bytes: values a
    /// text spells out are bounded by its size already; this bounds the ones it does not.
    public static func aliasBudget(inputBytes: Int) -> Int { max(minimumAliasBudget, inputBytes) }

    /// The bytes of scalar text aliases may add to a stream of any size. Counting values alone
    /// lets an alias to a long scalar multiply its bytes: a 462-byte text found by fuzzing stood
    /// for 600,000 copies of a 300-byte string, 180 MB once written as JSON.
    public static let minimumAliasBytes = 16 << 20

    /// How many bytes of scalar text aliases may add, in total, to a stream of `inputBytes` bytes.
    public static func aliasByteBudget(inputBytes: Int) -> Int { max(minimumAliasBytes, inputBytes) }

    /// Refuses `text` if it nests deeper than ``maximumDepth`` or its aliases expand beyond
    /// ``aliasBudget(inputBytes:)``. Costs one libyaml pass over the text; memory grows only with
    /// the number of anchors.
    /// - Throws: ``YAMLSyntaxError`` naming `source`, line and column.
    public static func check(_ text: String, source: String) throws {
        var text = text
        try text.withUTF8 { try check(utf8: $0, source: source) }
    }

    /// ``check(_:source:)`` over UTF-8 bytes.
    public static func check(utf8 bytes: UnsafeBufferPointer<UInt8>, source: String) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        var walk = YAMLEventWalk(budget: aliasBudget(inputBytes: bytes.count),
                                 byteBudget: aliasByteBudget(inputBytes: bytes.count), source: source)
        var event = yaml_event_t()
        while true {
            // A syntax error ends the check: the reader reports it, at the same place.
            guard yaml_parser_parse(&parser, &event) == 1 else { return }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { return }
            try walk.take(event)
        }
    }
}

/// The running account of ``YAMLLimits/check(_:source:)``: open collections, the size and height
/// of every anchored node, and the values aliases have added so far.
private struct YAMLEventWalk {
    /// A sequence or mapping not closed yet.
    private struct Open {
        var anchor: String?
        /// `values` when it opened.
        var valuesBefore: Int
        /// `bytes` when it opened.
        var bytesBefore: Int
        /// Its own level (1 for a top-level collection).
        var level: Int
        /// The deepest level reached inside it, aliases expanded.
        var deepest: Int
    }

    /// What an alias to an anchor brings in.
    private struct Anchored {
        /// Values, the anchored node included, aliases inside it expanded.
        var values: Int
        /// Bytes of scalar text, aliases inside it expanded.
        var bytes: Int
        /// Collection levels: 0 for a scalar, 1 for a flat list.
        var height: Int
    }

    let budget: Int
    let byteBudget: Int
    let source: String
    private var open: [Open] = []
    /// Anchors by name. Like Yams, a name keeps its meaning across documents until redefined.
    private var anchors: [String: Anchored] = [:]
    /// Values of the stream so far, aliases expanded.
    private var values = 0
    /// Values added by aliases so far.
    private var added = 0
    /// Bytes of scalar text of the stream so far, aliases expanded.
    private var bytes = 0
    /// Bytes of scalar text added by aliases so far.
    private var addedBytes = 0

    init(budget: Int, byteBudget: Int, source: String) {
        self.budget = budget
        self.byteBudget = byteBudget
        self.source = source
    }

    mutating func take(_ event: yaml_event_t) throws {
        switch event.type {
        case YAML_SEQUENCE_START_EVENT:
            try start(anchor: Self.string(event.data.sequence_start.anchor), at: event.start_mark)
        case YAML_MAPPING_START_EVENT:
            try start(anchor: Self.string(event.data.mapping_start.anchor), at: event.start_mark)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            end()
        case YAML_SCALAR_EVENT:
            values += 1
            bytes += event.data.scalar.length
            if let anchor = Self.string(event.data.scalar.anchor) {
                anchors[anchor] = Anchored(values: 1, bytes: event.data.scalar.length, height: 0)
            }
        case YAML_ALIAS_EVENT:
            try alias(Self.string(event.data.alias.anchor) ?? "", at: event.start_mark)
        default:
            break
        }
    }

    private mutating func start(anchor: String?, at mark: yaml_mark_t) throws {
        let level = open.count + 1
        if level > YAMLLimits.maximumDepth {
            throw refusal(at: mark, "nesting deeper than \(YAMLLimits.maximumDepth) levels: Standby reads YAML nested at most \(YAMLLimits.maximumDepth) deep, so that hostile input cannot exhaust the stack")
        }
        open.append(Open(anchor: anchor, valuesBefore: values, bytesBefore: bytes, level: level, deepest: level))
        values += 1
    }

    private mutating func end() {
        guard let closed = open.popLast() else { return }
        if let anchor = closed.anchor {
            anchors[anchor] = Anchored(values: values - closed.valuesBefore, bytes: bytes - closed.bytesBefore,
                                       height: closed.deepest - closed.level + 1)
        }
        if !open.isEmpty { open[open.count - 1].deepest = max(open[open.count - 1].deepest, closed.deepest) }
    }

    private mutating func alias(_ name: String, at mark: yaml_mark_t) throws {
        // An undefined alias is the reader's error to report; count it as one value.
        let target = anchors[name] ?? Anchored(values: 1, bytes: 0, height: 0)
        let level = open.count + target.height
        if level > YAMLLimits.maximumDepth {
            throw refusal(at: mark, "alias *\(name) nests deeper than \(YAMLLimits.maximumDepth) levels once expanded: Standby reads YAML nested at most \(YAMLLimits.maximumDepth) deep")
        }
        if !open.isEmpty { open[open.count - 1].deepest = max(open[open.count - 1].deepest, level) }
        if target.values > budget - added {
            throw refusal(at: mark, "aliases expand to more than \(budget) values (here alias *\(name) adds \(target.values) to the \(added) added before): refused before expanding anything; Standby lets aliases add at most \(YAMLLimits.minimumAliasBudget) values, or one per byte of input if that is more")
        }
        if target.bytes > byteBudget - addedBytes {
            throw refusal(at: mark, "aliases expand to more than \(byteBudget) bytes of text (here alias *\(name) adds \(target.bytes) to the \(addedBytes) added before): refused before expanding anything; Standby lets aliases add at most \(YAMLLimits.minimumAliasBytes) bytes of text, or as many as the input has if that is more")
        }
        added += target.values
        values += target.values
        addedBytes += target.bytes
        bytes += target.bytes
    }

    private func refusal(at mark: yaml_mark_t, _ message: String) -> YAMLSyntaxError {
        YAMLSyntaxError(source: source, line: Int(mark.line) + 1, column: Int(mark.column) + 1, message: message)
    }

    private static func string(_ bytes: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let bytes else { return nil }
        return String(cString: UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self))
    }
}
