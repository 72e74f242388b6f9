import NIOCore

/// One request in flight: its exchange, the connection carrying it, and its backstop deadline.
struct HTTPExchangeAttempt: Sendable {
    let exchange: HTTPExchange
    let connection: ConnectionBox
    let deadline: Scheduled<Void>?

    /// The exchange is over: drop the deadline, close the connection.
    func finish() {
        deadline?.cancel()
        connection.cancel()
    }

    func cancel() {
        // Record the reason before closing: the close would otherwise report itself first.
        exchange.fail("cancelled")
        connection.cancel()
    }
}
