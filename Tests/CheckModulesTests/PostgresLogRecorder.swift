import Logging
import Synchronization

/// Keeps every log line of a run (at trace level, PostgresNIO's included, with metadata) so a
/// test can wait for one and search them all.
final class PostgresLogRecorder: Sendable {
    private let lines = Mutex<[String]>([])
    private let stream: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: String.self)
    }

    var logger: Logger {
        Logger(label: "postgres-test") { _ in PostgresRecordingLogHandler(recorder: self) }
    }

    var all: [String] { lines.withLock { $0 } }

    func record(_ line: String) {
        lines.withLock { $0.append(line) }
        continuation.yield(line)
    }

    /// Returns once a line containing `text` has been logged (one waiter at a time).
    func waitForLine(containing text: String) async {
        for await line in stream where line.contains(text) { return }
    }
}
