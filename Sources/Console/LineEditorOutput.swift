/// Accumulates `LineEditorAction`s, merging adjacent `.output` bytes so a paste of many
/// characters becomes one write rather than one per key.
struct LineEditorOutput {
    private var actions: [LineEditorAction] = []
    private var pending: [UInt8] = []
    private var rang = false

    mutating func output(_ bytes: [UInt8]) {
        pending += bytes
    }

    /// One bell per batch: a megabyte pasted into a full line must not echo a megabyte of bells.
    mutating func bellOnce() {
        guard !rang else { return }
        rang = true
        pending.append(0x07)
    }

    mutating func action(_ action: LineEditorAction) {
        flush()
        actions.append(action)
    }

    private mutating func flush() {
        if !pending.isEmpty { actions.append(.output(pending)); pending = [] }
    }

    mutating func finish() -> [LineEditorAction] {
        flush()
        return actions
    }
}
