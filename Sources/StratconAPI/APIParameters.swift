import Foundation
import Hummingbird

/// A request's query parameters, checked strictly: a parameter the endpoint does not know is
/// refused, not ignored, so a misspelt `strat=` cannot silently return a different answer.
struct APIParameters {
    private var values: [String: [String]] = [:]

    init(_ request: Request, allowed: Set<String>) throws(APIError) {
        try self.init(query: request.uri.query ?? "", allowed: allowed)
    }

    /// Form encoding, as browsers and `URLSearchParams` write it: `+` is a space, `%XX` a
    /// byte, and the bytes must be UTF-8.
    init(query: String, allowed: Set<String>) throws(APIError) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                throw .badRequest("the query is not valid form encoding (bad %-escape or not UTF-8)")
            }
            guard allowed.contains(key) else {
                throw .badRequest("unknown parameter '\(key)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            values[key, default: []].append(value)
        }
    }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The single value of `name`; more than one is an error.
    func single(_ name: String) throws(APIError) -> String? {
        guard let all = values[name] else { return nil }
        guard all.count == 1 else { throw .badRequest("parameter '\(name)' given \(all.count) times") }
        return all[0]
    }

    func all(_ name: String) -> [String] { values[name] ?? [] }

    func uuid(_ name: String, required: Bool = true) throws(APIError) -> UUID? {
        guard let text = try single(name), !text.isEmpty else {
            if required { throw .badRequest("parameter '\(name)' (a check uuid) is required") }
            return nil
        }
        guard let uuid = UUID(uuidString: text) else { throw .badRequest("'\(text)' is not a uuid") }
        return uuid
    }

    func integer(_ name: String, default value: Int, range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let text = try single(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw .badRequest("\(name) '\(text)' must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, default value: Choice) throws(APIError) -> Choice
    where Choice.RawValue == String {
        guard let text = try single(name) else { return value }
        guard let choice = Choice(rawValue: text) else {
            throw .badRequest("\(name) '\(text)' must be one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return choice
    }

    /// `start` and `end` as a range ending no later than bounds allow: start before end, and
    /// no longer than `maximumSeconds` so one request cannot scan years of raw data.
    func timeRange(now: Date, defaultStart: String, maximumSeconds: Double) throws(APIError) -> (Date, Date) {
        let startText = try single("start") ?? defaultStart
        let endText = try single("end") ?? "now"
        guard let start = GraphTime.parse(startText, now: now) else {
            throw .badRequest("start '\(startText)' is not a time (epoch seconds, RFC 3339, now, or relative like -6h)")
        }
        guard let end = GraphTime.parse(endText, now: now) else {
            throw .badRequest("end '\(endText)' is not a time (epoch seconds, RFC 3339, now, or relative like -6h)")
        }
        guard start < end else { throw .badRequest("start must be before end") }
        guard end.timeIntervalSince(start) <= maximumSeconds else {
            throw .badRequest("the range may span at most \(Int(maximumSeconds / 86_400)) days")
        }
        return (start, end)
    }

    func format() throws(APIError) -> OutputFormat {
        try choice("format", default: OutputFormat.json)
    }
}

enum OutputFormat: String, CaseIterable {
    case json, csv
}
