import Logging
import Synchronization

/// Keeps every log event of a test (at trace level, with metadata) so the test can assert on
/// levels and messages, search the rendered lines, or wait for a line to be logged.
public final class LogRecorder: Sendable {
    public struct Entry: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: Logger.Metadata

        /// `level message metadata`, as searched by `lines` and `waitForLine`.
        public var line: String { "\(level) \(message) \(metadata)" }
    }

    private let label: String
    private let storage = Mutex<[Entry]>([])
    private let stream: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    public init(label: String = "test") {
        self.label = label
        (stream, continuation) = AsyncStream.makeStream(of: String.self)
    }

    public var logger: Logger {
        Logger(label: label) { _ in RecordingLogHandler(recorder: self) }
    }

    public var entries: [Entry] { storage.withLock { $0 } }

    public var lines: [String] { entries.map(\.line) }

    func record(_ entry: Entry) {
        storage.withLock { $0.append(entry) }
        continuation.yield(entry.line)
    }

    /// Returns once a line containing `text` has been logged (one waiter at a time).
    public func waitForLine(containing text: String) async {
        for await line in stream where line.contains(text) { return }
    }
}
