import CLibXML2
import Foundation
import NoitCore

/// A parsed `<noit>` configuration document. It owns the libxml2 tree, so it is neither
/// Sendable nor copyable by value: parse, resolve, and hand on the resolved
/// ``NoitConfiguration`` (which is Sendable) instead.
public final class ConfigDocument {
    let document: xmlDocPtr
    /// Names the document in issues: the file path, or the name given with the text.
    public let sourceName: String
    /// The file the document was read from; relative journal paths are resolved against its
    /// directory. Nil for documents parsed from a string.
    public let sourcePath: String?

    /// Reads and parses a configuration file.
    /// - Throws: a ``ConfigError`` when the file cannot be read, is not well-formed XML, or its
    ///   root element is not `<noit>`.
    public convenience init(contentsOfFile path: String, root: String = "noit") throws(ConfigError) {
        let bytes: [UInt8]
        do {
            bytes = try Self.readFile(atPath: path)
        } catch {
            throw ConfigError(issues: [ConfigIssue(
                file: path, line: nil, element: nil,
                message: "cannot read configuration file: \(String(cString: strerror(error.code.rawValue)))"
            )])
        }
        try self.init(bytes: bytes, sourceName: path, sourcePath: path, encoding: nil, root: root)
    }

    /// Parses a configuration held in memory; `sourceName` names it in issues.
    /// - Throws: a ``ConfigError`` when the text is not well-formed XML or its root element
    ///   is not `<noit>`.
    public convenience init(xml: String, sourceName: String, root: String = "noit") throws(ConfigError) {
        // A Swift string is UTF-8 whatever its XML declaration claims.
        try self.init(bytes: Array(xml.utf8), sourceName: sourceName, sourcePath: nil, encoding: "UTF-8", root: root)
    }

    /// - Parameter root: the element the document must have at its root (`noit` for a node,
    ///   `stratcon` for an aggregator).
    init(bytes: [UInt8], sourceName: String, sourcePath: String?, encoding: String?, root expectedRoot: String) throws(ConfigError) {
        _ = LibXML.ready
        func failure(_ line: Int?, _ message: String) -> ConfigError {
            ConfigError(issues: [ConfigIssue(file: sourceName, line: line, element: nil, message: message)])
        }
        guard bytes.count < Int(Int32.max) else { throw failure(nil, "configuration is too large") }
        // A context of our own, rather than xmlReadMemory, keeps the last error per parse
        // instead of in libxml2's per-thread global.
        guard let context = xmlNewParserCtxt() else { throw failure(nil, "cannot allocate an XML parser") }
        defer { xmlFreeParserCtxt(context) }
        // libxml2 goes on after the first error and keeps only the last one, which is mostly a
        // consequence ("Premature end of data"); stopping at the first keeps the cause. Only
        // fatal (well-formedness) errors stop it: stopping on a recoverable one, such as an
        // undeclared namespace prefix, would hand back a silently truncated document.
        context.pointee.sax.pointee.serror = { userData, error in
            guard let userData, let error, error.pointee.level == XML_ERR_FATAL else { return }
            xmlStopParser(userData.assumingMemoryBound(to: xmlParserCtxt.self))
        }
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), sourceName, encoding, LibXML.parseOptions)
            }
        }
        guard let parsed else {
            if let error = xmlCtxtGetLastError(context) {
                let message = error.pointee.message.map { String(cString: $0) } ?? "not well-formed"
                let line = Int(error.pointee.line)
                throw failure(line > 0 ? line : nil, "malformed XML: " + message.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            throw failure(nil, "malformed XML")
        }
        guard let root = xmlDocGetRootElement(parsed) else {
            xmlFreeDoc(parsed)
            throw failure(nil, "the document has no root element")
        }
        let rootElement = ConfigElement(node: root)
        guard rootElement.name == expectedRoot else {
            let issue = ConfigIssue(
                file: sourceName, line: rootElement.line, element: "<\(rootElement.name)>",
                message: "root element must be <\(expectedRoot)>"
            )
            xmlFreeDoc(parsed)
            throw ConfigError(issues: [issue])
        }
        self.document = parsed
        self.sourceName = sourceName
        self.sourcePath = sourcePath
    }

    /// Takes ownership of an already parsed (or copied) tree.
    init(adopting document: xmlDocPtr, sourceName: String, sourcePath: String?) {
        self.document = document
        self.sourceName = sourceName
        self.sourcePath = sourcePath
    }

    deinit {
        xmlFreeDoc(document)
    }

    var root: ConfigElement {
        // The initialiser refused documents without a root, and nothing here removes it.
        ConfigElement(node: xmlDocGetRootElement(document)!)
    }

    /// Validates the whole document and resolves it into what the node runs.
    /// - Parameter modules: the descriptor of each module the node has, by name; nil for
    ///   names it does not know.
    /// - Throws: a ``ConfigError`` listing every problem in the document.
    public func resolve(modules: (String) -> ModuleDescriptor?) throws(ConfigError) -> NoitConfiguration {
        let outcome = withoutActuallyEscaping(modules) { modules in
            var resolver = ConfigResolver(document: self, modules: modules)
            return resolver.resolve()
        }
        return try outcome.get()
    }

    /// The elements an XPath expression selects, in document order; non-element nodes are
    /// skipped.
    func elements(matching expression: String) -> [ConfigElement] {
        guard let context = xmlXPathNewContext(document) else { return [] }
        defer { xmlXPathFreeContext(context) }
        let object = expression.withCString { text in
            text.withMemoryRebound(to: xmlChar.self, capacity: expression.utf8.count + 1) { xmlXPathEvalExpression($0, context) }
        }
        guard let object else { return [] }
        defer { xmlXPathFreeObject(object) }
        guard let set = object.pointee.nodesetval, let table = set.pointee.nodeTab else { return [] }
        var result = [ConfigElement]()
        result.reserveCapacity(Int(set.pointee.nodeNr))
        for index in 0..<Int(set.pointee.nodeNr) {
            if let node = table[index], node.pointee.type == XML_ELEMENT_NODE {
                result.append(ConfigElement(node: node))
            }
        }
        return result
    }

    private static func readFile(atPath path: String) throws(POSIXError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}

@available(*, unavailable, message: "ConfigDocument owns a libxml2 tree; resolve it and share the NoitConfiguration")
extension ConfigDocument: Sendable {}
