import Foundation
import NoitCore

/// Turning a lookup into the check's result.
extension DNSModule {
    /// Available when the server answered at all; good only for NOERROR with at least one
    /// answer of the asked type.
    static func result(of lookup: DNSLookup, question: DNSQuestion, durationMilliseconds: Int64) -> CheckResult {
        let truncated = Metric("truncated", .int32(lookup.usedTCP ? 1 : 0))
        let rtt = Metric("rtt", .double(lookup.roundTripMilliseconds))
        let message: DNSMessage
        switch lookup.outcome {
        case .cancelled:
            return .failed("cancelled", durationMilliseconds: durationMilliseconds)
        case .failed(let reason) where lookup.usedTCP:
            return CheckResult(
                availability: .available, state: .bad, durationMilliseconds: durationMilliseconds,
                status: "answer truncated over UDP and the TCP retry failed: \(reason)", metrics: [truncated])
        case .failed(let reason):
            return .failed(reason, durationMilliseconds: durationMilliseconds)
        case .malformed(let error):
            return CheckResult(
                availability: .available, state: .bad, durationMilliseconds: durationMilliseconds,
                status: "malformed answer: \(error)", metrics: [rtt, truncated])
        case .reply(let reply):
            message = reply
        }

        let summary = DNSAnswerSummary(message: message, question: question)
        var metrics = [rtt, truncated, Metric("rcode", .string(summary.responseCode.description))]
        metrics.append(Metric("answer", summary.answers.isEmpty ? .null(.string) : .string(summary.answers.joined(separator: ", "))))
        metrics.append(Metric("ttl", summary.minimumTTL.map(MetricValue.int32) ?? .null(.int32)))
        metrics.append(Metric("cname", summary.canonicalName.map { .string($0.description) } ?? .null(.string)))
        if question.type == .soa { metrics += soaMetrics(summary.startOfAuthority) }

        let state: CheckState
        let status: String
        if summary.responseCode != .noError {
            state = .bad
            status = "\(summary.responseCode) for \(question.name) \(question.type)"
        } else if summary.answers.isEmpty {
            state = .bad
            status = "NOERROR but no \(question.type) answer for \(question.name)"
        } else {
            state = .good
            let count = summary.answers.count
            status = "NOERROR: \(count) \(question.type) answer\(count == 1 ? "" : "s") in "
                + lookup.roundTripMilliseconds.fixedText(decimals: 3) + " ms"
        }
        return CheckResult(
            availability: .available, state: state, durationMilliseconds: durationMilliseconds, status: status, metrics: metrics)
    }

    private static func soaMetrics(_ soa: DNSStartOfAuthority?) -> [Metric] {
        func number(_ value: UInt32?) -> MetricValue { value.map(MetricValue.uint32) ?? .null(.uint32) }
        return [
            Metric("soa_mname", soa.map { .string($0.primaryServer.description) } ?? .null(.string)),
            Metric("soa_rname", soa.map { .string($0.responsibleMailbox.description) } ?? .null(.string)),
            Metric("soa_serial", number(soa?.serial)),
            Metric("soa_refresh", number(soa?.refresh)),
            Metric("soa_retry", number(soa?.retry)),
            Metric("soa_expire", number(soa?.expire)),
            Metric("soa_minimum", number(soa?.minimum)),
        ]
    }
}
