/// Accumulates a machine's actions, merging adjacent writes so one input chunk becomes one
/// socket write rather than one per key.
struct ConsoleActionBuffer<Action: Sendable> {
    private var actions: [ConsoleSessionAction<Action>] = []
    private var pending: [UInt8] = []

    mutating func write(_ bytes: [UInt8]) {
        pending += bytes
    }

    mutating func write(_ text: String) {
        pending += Array(text.utf8)
    }

    mutating func append(_ action: ConsoleSessionAction<Action>) {
        flush()
        actions.append(action)
    }

    private mutating func flush() {
        if !pending.isEmpty {
            actions.append(.write(pending))
            pending = []
        }
    }

    mutating func finish() -> [ConsoleSessionAction<Action>] {
        flush()
        return actions
    }
}
