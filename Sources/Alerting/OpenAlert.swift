/// What the evaluator remembers of an open alert.
public struct OpenAlert: Sendable, Equatable {
    public var openedAtMs: Int64
    public init(openedAtMs: Int64) { self.openedAtMs = openedAtMs }
}
