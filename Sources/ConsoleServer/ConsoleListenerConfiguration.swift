/// One console listener: where it binds and how it treats sessions.
public struct ConsoleListenerConfiguration: Sendable {
    /// Loopback by default: the console has no transport security, so exposing it is a
    /// deliberate choice (and then set a `passwordHash`).
    public var host: String
    /// 0 binds an ephemeral port (tests); `onListening` reports the one chosen.
    public var port: Int
    /// A `ConsolePassword.hash(_:)` output; nil means no login.
    public var passwordHash: String?
    /// A session without input (or with a command stalled on a client that does not read)
    /// for this long is told "% Idle timeout" and closed.
    public var idleTimeout: Duration
    /// Connections beyond this many get "% Too many console sessions" and are closed.
    public var maxSessions: Int
    /// Printed on connect, before the password or the first prompt; empty for none.
    public var banner: String

    public init(
        host: String = "127.0.0.1",
        port: Int = 32322,
        passwordHash: String? = nil,
        idleTimeout: Duration = .seconds(1800),
        maxSessions: Int = 64,
        banner: String = "noitd console"
    ) {
        self.host = host
        self.port = port
        self.passwordHash = passwordHash
        self.idleTimeout = idleTimeout
        self.maxSessions = maxSessions
        self.banner = banner
    }
}
