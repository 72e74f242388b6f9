import Foundation
import NoitConfig
import NoitCore

/// The XML and JSON documents of the REST API for checks and results. Both carry the same
/// fields: attributes and config keys each with where their value came from (`self`,
/// `default`, the ancestor's path, or `template <id>`), and the state of the last run.
enum CheckRepresentation {
    static let attributeOrder = ["uuid", "name", "module", "target", "period", "timeout", "filterset", "disable", "seq"]

    static func attributes(of definition: CheckDefinition) -> [(String, String?)] {
        [
            ("uuid", definition.uuid.lowercasedString), ("name", definition.name), ("module", definition.module),
            ("target", definition.target), ("period", String(definition.periodMilliseconds)),
            ("timeout", String(definition.timeoutMilliseconds)), ("filterset", definition.filterset),
            ("disable", definition.disabled ? "true" : "false"), ("seq", String(definition.seq)),
        ]
    }

    // MARK: XML

    static func xml(_ detail: CheckDetail) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xmlElement(detail, indent: "")
    }

    static func xml(list details: [CheckDetail]) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checks>\n" + details.map { xmlElement($0, indent: "  ") }.joined() + "</checks>\n"
    }

    private static func xmlElement(_ detail: CheckDetail, indent: String) -> String {
        let definition = detail.definition
        var text = "\(indent)<check uuid=\"\(escape(definition.uuid.lowercasedString))\""
        if let section = detail.section { text += " section=\"\(escape(section))\"" }
        text += ">\n\(indent)  <attributes>\n"
        for (name, value) in attributes(of: definition) {
            guard let value else { continue }
            let source = name == "uuid" ? "self" : detail.configured.attributeSources[name] ?? "default"
            text += "\(indent)    <\(name) source=\"\(escape(source))\">\(escape(value))</\(name)>\n"
        }
        text += "\(indent)  </attributes>\n\(indent)  <config>\n"
        for key in definition.config.keys.sorted() {
            let source = detail.configured.configSources[key] ?? "self"
            text += "\(indent)    <\(key) source=\"\(escape(source))\">\(escape(SecretKeys.shown(key, definition.config[key]!)))</\(key)>\n"
        }
        text += "\(indent)  </config>\n"
        text += xmlState(detail, indent: indent + "  ")
        return text + "\(indent)</check>\n"
    }

    private static func xmlState(_ detail: CheckDetail, indent: String) -> String {
        var text = "\(indent)<state>\n"
        if let planned = detail.lastPlannedAt { text += "\(indent)  <last_planned>\(planned.recordText)</last_planned>\n" }
        if let ran = detail.lastRunAt { text += "\(indent)  <last_run>\(ran.recordText)</last_run>\n" }
        if let lateness = detail.latenessMilliseconds { text += "\(indent)  <lateness_ms>\(lateness)</lateness_ms>\n" }
        if let next = detail.nextRun { text += "\(indent)  <next_run>\(next.recordText)</next_run>\n" }
        if let result = detail.lastResult { text += xmlResultFields(result, indent: indent + "  ") }
        return text + "\(indent)</state>\n"
    }

    static func xml(result: CheckResult, of definition: CheckDefinition) -> String {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<result uuid=\"\(definition.uuid.lowercasedString)\">\n"
        for (name, value) in attributes(of: definition) where name != "uuid" {
            if let value { text += "  <\(name)>\(escape(value))</\(name)>\n" }
        }
        return text + xmlResultFields(result, indent: "  ") + "</result>\n"
    }

    private static func xmlResultFields(_ result: CheckResult, indent: String) -> String {
        var text = "\(indent)<availability>\(result.availability == .available ? "available" : "unavailable")</availability>\n"
        text += "\(indent)<state>\(result.state == .good ? "good" : "bad")</state>\n"
        text += "\(indent)<duration_ms>\(result.durationMilliseconds)</duration_ms>\n"
        text += "\(indent)<status>\(escape(result.status))</status>\n"
        text += "\(indent)<metrics>\n"
        for metric in result.metrics {
            let value = metric.value.valueText.map(escape) ?? ""
            text += "\(indent)  <metric name=\"\(escape(metric.name))\" type=\"\(metric.type.rawValue)\">\(value)</metric>\n"
        }
        return text + "\(indent)</metrics>\n"
    }

    /// Escapes text and attribute values (always written in double quotes); characters XML 1.0 cannot carry at all (most C0
    /// controls) become U+FFFD rather than making the document unparseable.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                escaped.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF ? "\u{FFFD}" : scalar)
            }
        }
        return escaped
    }

    // MARK: JSON

    struct SourcedValue: Encodable {
        var value: String
        var source: String
    }

    struct JSONMetric: Encodable {
        var type: String
        var value: JSONValue
    }

    enum JSONValue: Encodable {
        case number(Double)
        case integer(Int64)
        case unsigned(UInt64)
        case text(String)
        case null

        init(_ value: MetricValue) {
            switch value {
            case .int32(let v): self = .integer(Int64(v))
            case .uint32(let v): self = .integer(Int64(v))
            case .int64(let v): self = .integer(v)
            case .uint64(let v): self = .unsigned(v)
            case .double(let v): self = v.isFinite ? .number(v) : .text(String(v))
            case .string(let v): self = .text(v)
            case .null: self = .null
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .number(let v): try container.encode(v)
            case .integer(let v): try container.encode(v)
            case .unsigned(let v): try container.encode(v)
            case .text(let v): try container.encode(v)
            case .null: try container.encodeNil()
            }
        }
    }

    struct JSONResult: Encodable {
        var availability: String
        var state: String
        var duration_ms: Int64
        var status: String
        var metrics: [String: JSONMetric]

        init(_ result: CheckResult) {
            availability = result.availability == .available ? "available" : "unavailable"
            state = result.state == .good ? "good" : "bad"
            duration_ms = result.durationMilliseconds
            status = result.status
            metrics = Dictionary(result.metrics.map { ($0.name, JSONMetric(type: String($0.type.rawValue), value: JSONValue($0.value))) }, uniquingKeysWith: { _, last in last })
        }
    }

    struct JSONState: Encodable {
        var last_planned: String?
        var last_run: String?
        var lateness_ms: Int64?
        var next_run: String?
        var last_result: JSONResult?
    }

    struct JSONCheck: Encodable {
        var uuid: String
        var section: String?
        var attributes: [String: SourcedValue]
        var config: [String: SourcedValue]
        var state: JSONState

        init(_ detail: CheckDetail) {
            let definition = detail.definition
            uuid = definition.uuid.lowercasedString
            section = detail.section
            var attributes = [String: SourcedValue]()
            for (name, value) in CheckRepresentation.attributes(of: definition) {
                guard let value else { continue }
                attributes[name] = SourcedValue(value: value, source: name == "uuid" ? "self" : detail.configured.attributeSources[name] ?? "default")
            }
            self.attributes = attributes
            config = definition.config.reduce(into: [:]) { config, entry in
                config[entry.key] = SourcedValue(
                    value: SecretKeys.shown(entry.key, entry.value), source: detail.configured.configSources[entry.key] ?? "self")
            }
            state = JSONState(
                last_planned: detail.lastPlannedAt?.recordText, last_run: detail.lastRunAt?.recordText,
                lateness_ms: detail.latenessMilliseconds, next_run: detail.nextRun?.recordText,
                last_result: detail.lastResult.map(JSONResult.init))
        }
    }

    struct JSONTestResult: Encodable {
        var uuid: String
        var module: String
        var target: String
        var name: String
        var result: JSONResult
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Nothing here can fail to encode: every value is a string, integer or finite number.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func json(_ detail: CheckDetail) -> String { json(JSONCheck(detail)) }

    static func json(list details: [CheckDetail]) -> String { json(details.map(JSONCheck.init)) }

    static func json(result: CheckResult, of definition: CheckDefinition) -> String {
        json(JSONTestResult(
            uuid: definition.uuid.lowercasedString, module: definition.module, target: definition.target,
            name: definition.name, result: JSONResult(result)))
    }
}
