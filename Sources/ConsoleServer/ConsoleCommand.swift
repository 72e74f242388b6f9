/// A command's body: what runs when a line resolves to it. `arguments` are the words that
/// matched parameters, in order.
///
/// The session is busy while it runs: typed input is buffered for the line editor (except
/// keys taken by `nextKey()`, `confirm(_:)` and the pager), and the next prompt is printed
/// when it returns. It is cancelled if the connection goes away, so long-running bodies
/// (`watch`) should stop on cancellation or when `write` returns false.
public struct ConsoleCommand: Sendable {
    public init(_ run: @escaping @Sendable (ConsoleSession, [String]) async -> Void) {
        self.run = run
    }

    public let run: @Sendable (ConsoleSession, [String]) async -> Void
}
