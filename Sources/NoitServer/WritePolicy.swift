import NoitConfig

/// Who may change checks over an HTTP listener. On a TLS listener with `write_cn` set, only
/// clients whose certificate's common name is listed may; everyone who can connect may read.
public struct WritePolicy: Sendable, Equatable {
    /// Nil: no restriction beyond reaching the listener.
    public var allowedCommonNames: Set<String>?

    public static let unrestricted = WritePolicy(allowedCommonNames: nil)

    public init(allowedCommonNames: Set<String>?) {
        self.allowedCommonNames = allowedCommonNames
    }

    /// `write_cn="ops,deploy"` on the listener.
    public init(listener: ListenerSettings) {
        let names = listener.options["write_cn"].map {
            Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        self.init(allowedCommonNames: names)
    }

    public func allows(commonName: String?) -> Bool {
        guard let allowedCommonNames else { return true }
        guard let commonName else { return false }
        return allowedCommonNames.contains(commonName)
    }
}
