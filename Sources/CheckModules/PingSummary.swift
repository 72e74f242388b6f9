import Foundation
import NoitCore

/// What one ping_icmp run found, and the result it makes. Pure: the availability and state
/// rules are tested without a network.
///
/// - availability: available when at least one reply came back;
/// - state: good when the share of replies (`available`, in percent) is at least `avail_needed`;
/// - metrics: `count` (int32, requests sent), `available` (double, percent of replies),
///   `minimum`, `maximum`, `average` (double, round trip in seconds; null without replies).
struct PingSummary: Hashable, Sendable {
    var sent: Int
    /// Round trips of the replies that came back, in seconds.
    var roundTrips: [Double]
    /// Percent of replies needed for a good state.
    var availableNeeded: Double
    /// Why requests could not be sent, if some could not.
    var sendError: String?

    var received: Int { roundTrips.count }

    var availablePercent: Double { sent == 0 ? 0 : 100 * Double(received) / Double(sent) }

    var availability: Availability { received > 0 ? .available : .unavailable }

    var state: CheckState { sent > 0 && availablePercent >= availableNeeded ? .good : .bad }

    var metrics: [Metric] {
        let none = MetricValue.null(.double)
        return [
            Metric("count", .int32(Int32(clamping: sent))),
            Metric("available", .double(availablePercent)),
            Metric("minimum", roundTrips.min().map(MetricValue.double) ?? none),
            Metric("maximum", roundTrips.max().map(MetricValue.double) ?? none),
            Metric("average", roundTrips.isEmpty ? none : .double(roundTrips.reduce(0, +) / Double(received))),
        ]
    }

    var status: String {
        var status = "\(received)/\(sent) replies (\(PingSummary.percent(availablePercent))%)"
        if let minimum = roundTrips.min(), let maximum = roundTrips.max() {
            let average = roundTrips.reduce(0, +) / Double(received)
            status += ", rtt min/avg/max " + [minimum, average, maximum].map { ($0 * 1000).fixedText(decimals: 3) }.joined(separator: "/") + " ms"
        }
        if state == .bad, sent > 0 {
            status += ", needed \(PingSummary.percent(availableNeeded))%"
        }
        if let sendError, received < sent {
            status += ", \(sendError)"
        }
        return status
    }

    func result(durationMilliseconds: Int64) -> CheckResult {
        CheckResult(
            availability: availability, state: state, durationMilliseconds: durationMilliseconds, status: status,
            metrics: metrics)
    }

    /// Whole percentages without a fraction, others with one digit.
    private static func percent(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : value.fixedText(decimals: 1)
    }
}
