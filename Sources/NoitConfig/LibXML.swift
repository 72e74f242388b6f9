import CLibXML2

/// Process-wide libxml2 set-up and the deallocator for strings libxml2 hands out.
enum LibXML {
    /// Touch before any parse: libxml2 wants `xmlInitParser` called once, on one thread, before
    /// documents are parsed concurrently; a `static let` gives exactly that.
    static let ready: Void = xmlInitParser()

    /// libxml2's `xmlFree`. The C global itself is mutable shared state Swift 6 refuses to
    /// read, so the function is fetched once through `xmlMemGet`.
    static let deallocate: xmlFreeFunc = {
        _ = ready
        var free: xmlFreeFunc?
        xmlMemGet(&free, nil, nil, nil)
        guard let free else { fatalError("libxml2 reported no deallocator") }
        return free
    }()

    /// Takes ownership of a libxml2-allocated string: copies it and frees the original.
    static func consume(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String? {
        guard let pointer else { return nil }
        defer { deallocate(pointer) }
        return String(cString: pointer)
    }

    static let parseOptions = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_NOBLANKS.rawValue | XML_PARSE_BIG_LINES.rawValue
    )
}
