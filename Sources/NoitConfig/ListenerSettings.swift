/// One socket the node listens on (`<listener>`).
public struct ListenerSettings: Sendable, Equatable {
    public var type: Kind
    /// Default `127.0.0.1`.
    public var address: String
    /// Default ``Kind/defaultPort`` of the listener's type.
    public var port: Int
    /// Every other attribute of the element, verbatim, for the listener to interpret
    /// (password hash, TLS certificate and key files, ...).
    public var options: [String: String]

    public static let defaultAddress = "127.0.0.1"

    /// What a node listens on when its config has no `<listeners>` element.
    public static let defaults: [ListenerSettings] = [
        ListenerSettings(type: .http),
        ListenerSettings(type: .console),
    ]

    public init(type: Kind, address: String = ListenerSettings.defaultAddress, port: Int? = nil, options: [String: String] = [:]) {
        self.type = type
        self.address = address
        self.port = port ?? type.defaultPort
        self.options = options
    }
}
