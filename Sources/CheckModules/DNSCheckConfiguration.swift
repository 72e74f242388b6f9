import NoitCore

/// A dns check's config, read into the question to ask and the server to ask it.
struct DNSCheckConfiguration: Hashable, Sendable {
    var nameserver: String
    var port: Int
    var question: DNSQuestion

    /// `query` defaults to the target, and with rtype PTR an IP address becomes its reverse
    /// name; `nameserver` defaults to `defaultNameserver()`, called only when needed.
    init(check: CheckDefinition, defaultNameserver: () -> String) throws(DNSConfigurationError) {
        let typeText = check.config["rtype"] ?? "A"
        guard let type = DNSRecordType(mnemonic: typeText), type != .opt else {
            throw DNSConfigurationError(message: "unsupported rtype '\(typeText)'")
        }
        let classText = check.config["ctype"] ?? "IN"
        guard let recordClass = DNSRecordClass(mnemonic: classText) else {
            throw DNSConfigurationError(message: "unsupported ctype '\(classText)'")
        }
        let queryText = check.config["query"] ?? check.target
        let name: DNSName?
        if type == .ptr, let reverse = DNSName(reverseOf: queryText) {
            name = reverse
        } else {
            name = DNSName(text: queryText)
        }
        guard let name else { throw DNSConfigurationError(message: "invalid query name '\(queryText)'") }
        let portText = check.config["port"] ?? "53"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw DNSConfigurationError(message: "invalid port '\(portText)'")
        }
        self.nameserver = check.config["nameserver"] ?? defaultNameserver()
        self.port = port
        self.question = DNSQuestion(name: name, type: type, recordClass: recordClass)
    }
}
