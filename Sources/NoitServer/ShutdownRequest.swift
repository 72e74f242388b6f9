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
        // Returns on a request, on graceful shutdown, and on cancellation: a group that fails
        // (a listener that cannot bind) cancels its services rather than asking them to stop.
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let already = state.withLock { state in
                        if state.requested || Task.isCancelled { return true }
                        state.waiter = continuation
                        return false
                    }
                    if already { continuation.resume() }
                }
            } onCancel: {
                self.wake()
            }
        } onGracefulShutdown: {
            self.request()
        }
    }

    /// Resumes the waiter without recording a request.
    private func wake() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
