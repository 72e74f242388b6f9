import Logging

/// Sends every log event, with its metadata, to a ``PostgresLogRecorder``.
struct PostgresRecordingLogHandler: LogHandler {
    let recorder: PostgresLogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        merged.merge(event.metadata ?? [:]) { _, new in new }
        recorder.record("\(event.level) \(event.message) \(merged)")
    }
}
