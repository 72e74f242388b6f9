import Logging
import Synchronization

/// Collects what a journal logs so tests can assert on levels and messages.
final class LogRecorder: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let storage = Mutex<[Entry]>([])

    var entries: [Entry] { storage.withLock { $0 } }

    func record(_ entry: Entry) {
        storage.withLock { $0.append(entry) }
    }

    var logger: Logger {
        Logger(label: "journal-tests") { _ in RecordingLogHandler(recorder: self) }
    }
}
