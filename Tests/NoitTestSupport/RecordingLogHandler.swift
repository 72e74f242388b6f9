import Logging

/// Sends every log event at any level, with its merged metadata, to a `LogRecorder`.
struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        merged.merge(event.metadata ?? [:]) { _, new in new }
        recorder.record(LogRecorder.Entry(level: event.level, message: "\(event.message)", metadata: merged))
    }
}
