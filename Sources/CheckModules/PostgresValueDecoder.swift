import NIOCore
import NoitCore
import PostgresNIO

/// A result cell as a metric value, typed by its column's PostgreSQL type:
/// int2/int4 → int32, int8 → int64, float4/float8/numeric → double, bool → int32 0/1, and
/// everything else → string, in PostgreSQL's text form (see ``PostgresBinaryText``).
///
/// SQL NULL, a value this module cannot render, and a malformed value are all a null of the
/// column's metric type: the run still reports every other cell.
enum PostgresValueDecoder {
    static func metricType(of type: PostgresDataType) -> MetricType {
        switch type {
        case .int2, .int4, .bool: .int32
        case .int8: .int64
        case .float4, .float8, .numeric: .double
        default: .string
        }
    }

    static func metricValue(_ cell: PostgresCell) -> MetricValue {
        metricValue(type: cell.dataType, format: cell.format, bytes: cell.bytes)
    }

    static func metricValue(type: PostgresDataType, format: PostgresFormat, bytes: ByteBuffer?) -> MetricValue {
        let metricType = metricType(of: type)
        guard let bytes else { return .null(metricType) }
        if format == .text {
            return textMetricValue(type: type, metricType: metricType, String(decoding: bytes.readableBytesView, as: UTF8.self))
        }
        var buffer = bytes
        let value: MetricValue?
        switch type {
        case .int2: value = PostgresBinaryText.exact(&buffer, as: Int16.self).map { .int32(Int32($0)) }
        case .int4: value = PostgresBinaryText.exact(&buffer, as: Int32.self).map { .int32($0) }
        case .int8: value = PostgresBinaryText.exact(&buffer, as: Int64.self).map { .int64($0) }
        case .bool:
            value = buffer.readableBytes == 1 ? buffer.readInteger(as: UInt8.self).map { .int32($0 == 0 ? 0 : 1) } : nil
        case .float4: value = PostgresBinaryText.exact(&buffer, as: UInt32.self).map { .double(Double(Float(bitPattern: $0))) }
        case .float8: value = PostgresBinaryText.exact(&buffer, as: UInt64.self).map { .double(Double(bitPattern: $0)) }
        case .numeric: value = PostgresBinaryText.numericText(bytes).flatMap(Self.double(numericText:))
        default: value = PostgresBinaryText.text(of: type, bytes).map { .string($0) }
        }
        return value ?? .null(metricType)
    }

    /// The text form of a cell, for naming a row's metrics after its first column; nil for NULL
    /// and for values without a text rendering.
    static func text(_ cell: PostgresCell) -> String? {
        guard let bytes = cell.bytes else { return nil }
        if cell.format == .text { return String(decoding: bytes.readableBytesView, as: UTF8.self) }
        return PostgresBinaryText.text(of: cell.dataType, bytes)
    }

    /// Results in text form do not come from PostgresNIO's extended queries today; read them
    /// anyway rather than mistake text for binary.
    private static func textMetricValue(type: PostgresDataType, metricType: MetricType, _ text: String) -> MetricValue {
        let value: MetricValue?
        switch (type, metricType) {
        case (.bool, _): value = text == "t" ? .int32(1) : (text == "f" ? .int32(0) : nil)
        case (_, .int32): value = Int32(text).map { .int32($0) }
        case (_, .int64): value = Int64(text).map { .int64($0) }
        case (_, .double): value = double(numericText: text)
        default: value = .string(text)
        }
        return value ?? .null(metricType)
    }

    private static func double(numericText text: String) -> MetricValue? {
        switch text {
        case "NaN": .double(.nan)
        case "Infinity": .double(.infinity)
        case "-Infinity": .double(-.infinity)
        default: Double(text).map { .double($0) }
        }
    }
}
