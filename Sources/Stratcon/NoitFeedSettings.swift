import Foundation
import NIOSSL

/// One noit a stratcond pulls from (`<noit address= port=/>` in stratcon.conf).
public struct NoitFeedSettings: Sendable {
    public var address: String
    public var port: Int
    /// The name the noit's certificate must carry; defaults to `address`.
    public var serverName: String?
    public var tls: TLSConfiguration
    public var maxRecords: UInt32 = 25_000
    public var maxBytes: UInt32 = 10 * 1024 * 1024
    /// Batches in hand at once: beyond 1, the next batches are received and prepared while
    /// the previous one is stored, so PostgreSQL and the feed work side by side (3 drained a
    /// backlog about 5 % faster than 2 here; the node caps it at its own limit).
    public var window: UInt16 = 3
    /// Reconnect delays rise from `minimumBackoff`, doubling, to `maximumBackoff`.
    public var minimumBackoff: Duration = .seconds(1)
    public var maximumBackoff: Duration = .seconds(15)
    /// How often a "feed statistics" line (records, batches, completion-to-commit lag) is logged.
    public var statisticsInterval: Duration = .seconds(60)
    /// Milliseconds since the epoch, for the lag; tests substitute their own.
    public var wallClockMilliseconds: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// How rows name the node: `address:port`.
    public var name: String { "\(address):\(port)" }

    public init(address: String, port: Int, serverName: String? = nil, tls: TLSConfiguration) {
        self.address = address
        self.port = port
        self.serverName = serverName
        self.tls = tls
    }
}
