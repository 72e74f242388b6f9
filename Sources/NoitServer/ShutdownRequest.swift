import ServiceLifecycle
import Synchronization

/// Lets an operator's `shutdown` at the console stop the node the way SIGTERM does. It runs as
/// a service that returns once asked, and the group is told to shut down gracefully when it
/// returns.
public final class ShutdownRequest: Service, Sendable {
    private let state = Mutex<(requested: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    public init() {}

    public func request() {
        let waiter = state.withLock { state in
            state.requested = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    public var isRequested: Bool { state.withLock { $0.requested } }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let already = state.withLock { state in
                    if state.requested { return true }
                    state.waiter = continuation
                    return false
                }
                if already { continuation.resume() }
            }
        } onGracefulShutdown: {
            self.request()
        }
    }
}
