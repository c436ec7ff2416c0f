import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small read-only XML element tree, as AWS Query services (EC2, IAM, STS) answer: element
/// names without namespaces, attributes ignored, text trimmed of surrounding white space.
public struct XMLTree: Sendable, Equatable {
    public var name: String
    /// The element's own text (character data and CDATA), trimmed; empty for elements with children.
    public var text: String
    public var children: [XMLTree]

    public init(name: String, text: String = "", children: [XMLTree] = []) {
        self.name = name; self.text = text; self.children = children
    }

    /// The first child named `name`.
    public subscript(name: String) -> XMLTree? { children.first { $0.name == name } }

    /// The element at a path of child names (`["GetRoleResult", "Role"]`).
    public subscript(path path: [String]) -> XMLTree? {
        var current: XMLTree? = self
        for name in path { current = current?[name] }
        return current
    }

    /// Every child named `name`.
    public func all(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The first element named `name` anywhere below (depth first), this one included.
    public func first(_ name: String) -> XMLTree? {
        if self.name == name { return self }
        for child in children { if let found = child.first(name) { return found } }
        return nil
    }

    /// The text of the child `name`, nil when there is no such child.
    public func text(_ name: String) -> String? { self[name]?.text }

    /// Parses a document.
    /// - Throws: ``XMLTreeError`` with the line and the parser's reason, naming `source`.
    public static func parse(_ bytes: [UInt8], source: String) throws -> XMLTree {
        let builder = Builder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true // element names come without their prefix
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element"
            throw XMLTreeError(source: source, line: parser.lineNumber, message: reason)
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLTree] = []
        var texts: [String] = []
        var root: XMLTree?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            stack.append(XMLTree(name: elementName))
            texts.append("")
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !texts.isEmpty { texts[texts.count - 1] += string }
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            if !texts.isEmpty { texts[texts.count - 1] += String(decoding: CDATABlock, as: UTF8.self) }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard var element = stack.popLast(), let text = texts.popLast() else { return }
            element.text = element.children.isEmpty ? text.trimmingCharacters(in: .whitespacesAndNewlines) : ""
            if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
        }
    }
}

/// An answer that is not well-formed XML.
public struct XMLTreeError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var line: Int
    public var message: String
    public var description: String { "\(source): line \(line): not well-formed XML: \(message)" }
}
