import Alerting
import Foundation
import NoitConfig

/// What stratcon.conf says, resolved and validated (paths made absolute against the file's
/// directory, every problem reported with its line).
public struct StratconConfiguration: Sendable, Equatable {
    public enum Database: Sendable, Equatable {
        /// stratcond runs its own PostgreSQL cluster under the data directory.
        case embedded(port: Int)
        /// An existing server: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require]`.
        case external(host: String, port: Int, user: String, password: String?, database: String, requireTLS: Bool)
    }

    public struct Noit: Sendable, Equatable {
        public var address: String
        public var port: Int
        /// The name the noit's certificate carries, when it is not `address`.
        public var serverName: String?
    }

    /// The data directory: the embedded cluster lives in `<data>/postgres`.
    public var dataPath: String
    public var database: Database
    /// This stratcond's client certificate and key, and the CA that signed the noits'.
    public var certificatePath: String
    public var keyPath: String
    public var authorityPath: String
    public var noits: [Noit]
    /// The HTTP API and UI (`<listener type="http">`), default 127.0.0.1:8080.
    public var httpAddress: String
    public var httpPort: Int
    /// Days of raw statuses and metrics kept (`<retention raw_days=>`); nil keeps all.
    public var rawRetentionDays: Int? = nil
    /// Seconds between "feed statistics" log lines (`<noits statistics_interval=>`).
    public var feedStatisticsSeconds: Int = 60
    /// Rules, hooks and heartbeat (`<alerting>`); none by default.
    public var alerting = AlertingSettings()

    public static let defaultEmbeddedPort = 54330
    public static let defaultFeedPort = 43192
}
