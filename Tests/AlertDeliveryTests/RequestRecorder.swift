import NIOConcurrencyHelpers

/// Shared between the receiver's connections and the test: hands out scripted answers in order
/// and keeps every request.
final class RequestRecorder: Sendable {
    private struct State {
        var script: [ScriptedResponse]
        var requests: [RecordedRequest] = []
    }

    private let state: NIOLockedValueBox<State>

    init(script: [ScriptedResponse]) {
        state = NIOLockedValueBox(State(script: script))
    }

    /// Records `request` and returns the answer for it; a 599 tells the test it ran out of script.
    func record(_ request: RecordedRequest) -> ScriptedResponse {
        state.withLockedValue { state in
            state.requests.append(request)
            return state.script.isEmpty ? .status(599, body: "script exhausted") : state.script.removeFirst()
        }
    }

    var requests: [RecordedRequest] {
        state.withLockedValue { $0.requests }
    }
}
