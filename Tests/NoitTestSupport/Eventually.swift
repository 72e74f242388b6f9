/// `eventually` gave up: the condition never held within its time.
public struct EventuallyTimedOut: Error, CustomStringConvertible {
    public let what: String
    public let timeout: Duration
    public var description: String { "\(what): not so within \(timeout)" }
}

/// Waits until `condition` holds, checking after short pauses, for state that offers no signal
/// to await (a count, a clock's sleepers). The timeout only guards a hang: 90 s, as
/// `TelnetTerminal`'s waits, because a loaded two-core machine has starved test tasks for 20 s.
public func eventually(
    _ what: String = "condition", timeout: Duration = .seconds(90), _ condition: () -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw EventuallyTimedOut(what: what, timeout: timeout) }
        try await Task.sleep(for: .milliseconds(5))
    }
}
