import NIOCore
import NoitCore
import PostgresNIO
import Testing

@testable import CheckModules

@Suite("postgres cells as typed metrics, rows as named metrics")
struct PostgresRowMetricsTests {
    func cell(_ type: PostgresDataType, _ bytes: ByteBuffer?, column: String = "c", index: Int = 0) -> PostgresCell {
        PostgresCell(bytes: bytes, dataType: type, format: .binary, columnName: column, columnIndex: index)
    }

    func integer<I: FixedWidthInteger>(_ value: I) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(value, endianness: .big)
        return buffer
    }

    func text(_ value: String, column: String = "name", index: Int = 0) -> PostgresCell {
        cell(.text, ByteBuffer(string: value), column: column, index: index)
    }

    @Test("each column type maps to its metric type")
    func typedValues() {
        #expect(PostgresValueDecoder.metricValue(cell(.int2, integer(Int16(-7)))) == .int32(-7))
        #expect(PostgresValueDecoder.metricValue(cell(.int4, integer(Int32.max))) == .int32(.max))
        #expect(PostgresValueDecoder.metricValue(cell(.int8, integer(Int64.min))) == .int64(.min))
        #expect(PostgresValueDecoder.metricValue(cell(.float4, integer(Float(0.25).bitPattern))) == .double(0.25))
        #expect(PostgresValueDecoder.metricValue(cell(.float8, integer(Double(-1.5).bitPattern))) == .double(-1.5))
        #expect(PostgresValueDecoder.metricValue(cell(.bool, ByteBuffer(bytes: [1]))) == .int32(1))
        #expect(PostgresValueDecoder.metricValue(cell(.bool, ByteBuffer(bytes: [0]))) == .int32(0))
        #expect(PostgresValueDecoder.metricValue(cell(.varchar, ByteBuffer(string: "ok"))) == .string("ok"))
        var numeric = ByteBuffer()
        numeric.writeMultipleIntegers(Int16(2), Int16(0), UInt16(0), Int16(2), Int16(12), Int16(2500), endianness: .big)
        #expect(PostgresValueDecoder.metricValue(cell(.numeric, numeric)) == .double(12.25))
    }

    @Test("NULL, malformed and unrenderable values are nulls of the column's type")
    func nulls() {
        #expect(PostgresValueDecoder.metricValue(cell(.int2, nil)) == .null(.int32))
        #expect(PostgresValueDecoder.metricValue(cell(.int8, nil)) == .null(.int64))
        #expect(PostgresValueDecoder.metricValue(cell(.numeric, nil)) == .null(.double))
        #expect(PostgresValueDecoder.metricValue(cell(.bool, nil)) == .null(.int32))
        #expect(PostgresValueDecoder.metricValue(cell(.text, nil)) == .null(.string))
        #expect(PostgresValueDecoder.metricValue(cell(.int4, ByteBuffer(bytes: [1, 2]))) == .null(.int32))
        #expect(PostgresValueDecoder.metricValue(cell(.float8, ByteBuffer(bytes: [1]))) == .null(.double))
        #expect(PostgresValueDecoder.metricValue(cell(.bool, ByteBuffer(bytes: [1, 1]))) == .null(.int32))
        #expect(PostgresValueDecoder.metricValue(cell(.int4Array, ByteBuffer(bytes: [0, 0]))) == .null(.string))
    }

    @Test("values in text format are read as text")
    func textFormat() {
        func textCell(_ type: PostgresDataType, _ value: String) -> PostgresCell {
            PostgresCell(bytes: ByteBuffer(string: value), dataType: type, format: .text, columnName: "c", columnIndex: 0)
        }
        #expect(PostgresValueDecoder.metricValue(textCell(.int4, "42")) == .int32(42))
        #expect(PostgresValueDecoder.metricValue(textCell(.int8, "x")) == .null(.int64))
        #expect(PostgresValueDecoder.metricValue(textCell(.bool, "t")) == .int32(1))
        #expect(PostgresValueDecoder.metricValue(textCell(.numeric, "1.5")) == .double(1.5))
        #expect(PostgresValueDecoder.metricValue(textCell(.date, "2024-01-01")) == .string("2024-01-01"))
    }

    @Test("a row is named by its first column; the other columns are its metrics")
    func rowNaming() {
        var rows = PostgresRowMetrics()
        rows.add([
            text("disk_used"), cell(.int4, integer(Int32(42)), column: "value", index: 1),
            text("ok", column: "state", index: 2),
        ])
        #expect(rows.rowCount == 1)
        #expect(rows.metrics == [Metric("disk_used`value", .int32(42)), Metric("disk_used`state", .string("ok"))])
    }

    @Test("a non-text first column names the row by its text form")
    func numericRowName() {
        var rows = PostgresRowMetrics()
        rows.add([cell(.int8, integer(Int64(7)), column: "id"), cell(.bool, ByteBuffer(bytes: [1]), column: "up", index: 1)])
        #expect(rows.metrics == [Metric("7`up", .int32(1))])
    }

    @Test("single columns and NULL first columns count rows but give no metrics")
    func unnamedRows() {
        var rows = PostgresRowMetrics()
        rows.add([text("only")])
        rows.add([cell(.text, nil), cell(.int4, integer(Int32(1)), column: "v", index: 1)])
        #expect(rows.rowCount == 2)
        #expect(rows.metrics.isEmpty)
    }

    @Test("a later row with the same name replaces the earlier value in place")
    func duplicateNames() {
        var rows = PostgresRowMetrics()
        rows.add([text("a"), cell(.int4, integer(Int32(1)), column: "v", index: 1)])
        rows.add([text("b"), cell(.int4, integer(Int32(2)), column: "v", index: 1)])
        rows.add([text("a"), cell(.int4, integer(Int32(3)), column: "v", index: 1)])
        #expect(rows.metrics == [Metric("a`v", .int32(3)), Metric("b`v", .int32(2))])
    }

    @Test("metrics stop at the limit while rows are still counted")
    func metricLimit() {
        var rows = PostgresRowMetrics()
        for index in 0..<(PostgresRowMetrics.metricLimit + 5) {
            rows.add([text("r\(index)"), cell(.int4, integer(Int32(index)), column: "v", index: 1)])
        }
        #expect(rows.rowCount == Int64(PostgresRowMetrics.metricLimit + 5))
        #expect(rows.metrics.count == PostgresRowMetrics.metricLimit)
        #expect(rows.truncated)
    }

    @Test("long strings are cut on a UTF-8 scalar boundary")
    func longStrings() {
        let long = String(repeating: "é", count: PostgresRowMetrics.stringLimit)
        let cut = PostgresRowMetrics.truncated(long)
        #expect(cut.utf8.count == PostgresRowMetrics.stringLimit)
        #expect(cut.allSatisfy { $0 == "é" })
        let odd = "x" + long
        let oddCut = PostgresRowMetrics.truncated(odd)
        #expect(oddCut.utf8.count == PostgresRowMetrics.stringLimit - 1)
        #expect(PostgresRowMetrics.truncated("short") == "short")
        var rows = PostgresRowMetrics()
        rows.add([text("big"), text(long + long, column: "v", index: 1)])
        guard case .string(let value) = rows.metrics.first?.value else {
            Issue.record("no string metric")
            return
        }
        #expect(value.utf8.count <= PostgresRowMetrics.stringLimit)
    }
}
