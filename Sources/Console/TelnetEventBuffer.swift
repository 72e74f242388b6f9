/// Accumulates telnet events, merging runs of `.data` and runs of `.send`, so the event
/// count is bounded by the number of commands rather than bytes.
struct TelnetEventBuffer {
    private var events: [TelnetEvent] = []
    private var data: [UInt8] = []
    private var send: [UInt8] = []

    mutating func data(_ byte: UInt8) {
        flushSend()
        data.append(byte)
    }

    mutating func send(_ bytes: [UInt8]) {
        flushData()
        send.append(contentsOf: bytes)
    }

    mutating func event(_ event: TelnetEvent) {
        flushData()
        flushSend()
        events.append(event)
    }

    private mutating func flushData() {
        if !data.isEmpty { events.append(.data(data)); data = [] }
    }

    private mutating func flushSend() {
        if !send.isEmpty { events.append(.send(send)); send = [] }
    }

    mutating func finish() -> [TelnetEvent] {
        flushData()
        flushSend()
        return events
    }
}
