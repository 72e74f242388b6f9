/// A configured hook: a name for logs and the outbox, what kind it is, and the HTTP request timeout.
public struct HookDefinition: Sendable, Equatable {
    /// The default HTTP request timeout: 10 s.
    public static let defaultTimeoutMs: Int64 = 10_000

    public var name: String
    public var kind: HookKind
    /// Time allowed for one HTTP request, from connecting until the (bounded) response body is read.
    /// Command hooks use their own `timeoutMs` instead.
    public var timeoutMs: Int64

    public init(name: String, kind: HookKind, timeoutMs: Int64 = HookDefinition.defaultTimeoutMs) {
        self.name = name
        self.kind = kind
        self.timeoutMs = timeoutMs
    }
}
