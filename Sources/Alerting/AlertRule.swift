import AlertDelivery
import Foundation

/// One alerting rule: what it selects, how it decides, how loud it is and whom it pages.
/// stratcon.conf and the API write rules the same way, as a flat attribute map (see
/// `AlertRule+Attributes.swift`), so both go through one validation.
public struct AlertRule: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case threshold, absence, status, anomaly, forecast
    }

    public enum Direction: String, Sendable, Equatable {
        case above, below
    }

    public enum StatusProblem: String, Sendable, Hashable, CaseIterable {
        case unavailable, bad
    }

    public enum Source: String, Sendable, Equatable {
        case config, api
    }

    public var name: String
    public var kind: Kind
    public var severity: AlertSeverity
    public var selector: RuleSelector
    /// Hook names to notify; nil notifies every configured hook.
    public var hooks: [String]?
    public var enabled: Bool
    public var source: Source

    /// threshold and forecast: which side of `level` is a problem.
    public var direction: Direction?
    public var level: Double?
    /// threshold: where an open alert clears (hysteresis); defaults to `level`.
    public var clearLevel: Double?
    /// How long a breach must last, or how many values in a row, before the alert opens
    /// (whichever comes first); neither opens on the first breaching value.
    public var forMilliseconds: Int64?
    public var consecutive: Int?
    /// absence: how long without data; forecast: the least-squares window.
    public var windowMilliseconds: Int64?
    /// forecast: how far ahead a predicted crossing pages.
    public var horizonMilliseconds: Int64?
    /// anomaly: band half-width in robust standard deviations.
    public var sensitivity: Double?
    /// anomaly: history needed before the model judges.
    public var minimumHistoryMilliseconds: Int64?
    /// status: what counts as a problem.
    public var statusProblems: Set<StatusProblem> = Set(StatusProblem.allCases)

    /// Whether the rule works on metric values (as opposed to a check's runs or arrivals).
    public var isPerMetric: Bool {
        switch kind {
        case .threshold, .anomaly, .forecast: true
        case .absence: selector.metric != nil
        case .status: false
        }
    }
}
