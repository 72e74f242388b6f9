/// What a plugin wrote to one of its output streams: the first bytes up to the run's limit, and
/// how much it wrote in all (the rest was read and dropped, so the plugin never blocked).
struct ExternalCapturedOutput: Hashable, Sendable {
    var bytes: [UInt8] = []
    var totalBytes = 0

    var isTruncated: Bool { totalBytes > bytes.count }

    /// The kept bytes as text; invalid UTF-8 becomes U+FFFD rather than failing the check.
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
