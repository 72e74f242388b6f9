import NIOCore
import PostgresNIO
import Testing

@testable import CheckModules

@Suite("postgres binary values as PostgreSQL's text")
struct PostgresBinaryTextTests {
    func buffer(_ write: (inout ByteBuffer) -> Void) -> ByteBuffer {
        var buffer = ByteBuffer()
        write(&buffer)
        return buffer
    }

    func numeric(weight: Int16, sign: UInt16 = 0, scale: Int16, _ digits: [Int16]) -> ByteBuffer {
        buffer { buffer in
            buffer.writeMultipleIntegers(Int16(digits.count), weight, sign, scale, endianness: .big)
            for digit in digits { buffer.writeInteger(digit, endianness: .big) }
        }
    }

    @Test("numeric digits, weights, scales and special values", arguments: [
        (Int16(0), UInt16(0), Int16(0), [Int16(42)], "42"),
        (1, 0, 2, [12, 3456, 7800], "123456.78"),
        (-2, 0, 8, [1234], "0.00001234"),
        (0, 0x4000, 4, [3, 1415], "-3.1415"),
        (2, 0, 0, [1], "100000000"),
        (0, 0, 3, [], "0.000"),
        (0, 0xC000, 0, [], "NaN"),
        (0, 0xD000, 0, [], "Infinity"),
        (0, 0xF000, 0, [], "-Infinity"),
    ] as [(Int16, UInt16, Int16, [Int16], String)])
    func numericText(weight: Int16, sign: UInt16, scale: Int16, digits: [Int16], expected: String) {
        #expect(PostgresBinaryText.numericText(numeric(weight: weight, sign: sign, scale: scale, digits)) == expected)
    }

    @Test("malformed numerics give nil, not a trap")
    func malformedNumeric() {
        #expect(PostgresBinaryText.numericText(numeric(weight: 0, scale: 0, [10_000])) == nil)
        #expect(PostgresBinaryText.numericText(numeric(weight: 0, scale: 0, [-1])) == nil)
        #expect(PostgresBinaryText.numericText(numeric(weight: 0, sign: 0x1234, scale: 0, [1])) == nil)
        #expect(PostgresBinaryText.numericText(numeric(weight: 0, scale: -1, [1])) == nil)
        var short = numeric(weight: 0, scale: 0, [1, 2])
        short.moveWriterIndex(to: short.writerIndex - 1)
        #expect(PostgresBinaryText.numericText(short) == nil)
        #expect(PostgresBinaryText.numericText(ByteBuffer(bytes: [0, 1])) == nil)
    }

    @Test("dates on the proleptic Gregorian calendar, BC years and infinities", arguments: [
        (Int32(0), "2000-01-01"),
        (Int32(59), "2000-02-29"),
        (Int32(-1), "1999-12-31"),
        (Int32(-10_957), "1970-01-01"),
        (Int32(-729_755), "0001-12-31"),
        (Int32(-730_120), "0001-12-31 BC"),
        (Int32(2_934_352), "10033-12-25"),
        (Int32.max, "infinity"),
        (Int32.min, "-infinity"),
    ])
    func dates(days: Int32, expected: String) {
        #expect(PostgresBinaryText.text(of: .date, buffer { $0.writeInteger(days, endianness: .big) }) == expected)
    }

    @Test("timestamps keep microseconds and drop trailing zeros; timestamptz is UTC")
    func timestamps() {
        let microseconds: Int64 = 86_400_000_000 * 366 + 3_723_000_000 + 120_000
        let bytes = buffer { $0.writeInteger(microseconds, endianness: .big) }
        #expect(PostgresBinaryText.text(of: .timestamp, bytes) == "2001-01-01 01:02:03.12")
        #expect(PostgresBinaryText.text(of: .timestamptz, bytes) == "2001-01-01 01:02:03.12+00")
        let beforeEpoch = buffer { $0.writeInteger(Int64(-1), endianness: .big) }
        #expect(PostgresBinaryText.text(of: .timestamp, beforeEpoch) == "1999-12-31 23:59:59.999999")
        #expect(PostgresBinaryText.text(of: .timestamp, buffer { $0.writeInteger(Int64.max, endianness: .big) }) == "infinity")
        #expect(PostgresBinaryText.text(of: .timestamp, ByteBuffer(bytes: [1, 2, 3])) == nil)
    }

    @Test("time and timetz, with the zone's offset east of UTC")
    func times() {
        #expect(PostgresBinaryText.timeText(49_500_250_000) == "13:45:00.25")
        #expect(PostgresBinaryText.timeText(86_400_000_000) == "24:00:00")
        #expect(PostgresBinaryText.timeText(86_400_000_001) == nil)
        let india = buffer { $0.writeMultipleIntegers(Int64(49_500_000_000), Int32(-19_800), endianness: .big) }
        #expect(PostgresBinaryText.text(of: .timetz, india) == "13:45:00+05:30")
        let newYork = buffer { $0.writeMultipleIntegers(Int64(0), Int32(18_000), endianness: .big) }
        #expect(PostgresBinaryText.text(of: .timetz, newYork) == "00:00:00-05")
    }

    @Test("intervals in the postgres IntervalStyle", arguments: [
        (Int64(14_706_789_000), Int32(3), Int32(14), "1 year 2 mons 3 days 04:05:06.789"),
        (7_200_000_000, -1, 0, "-1 days +02:00:00"),
        (-10_800_000_000, 0, 0, "-03:00:00"),
        (0, 0, 0, "00:00:00"),
        (0, 1, -13, "-1 years -1 mons +1 day"),
        (360_000_000_000, 0, 0, "100:00:00"),
    ])
    func intervals(microseconds: Int64, days: Int32, months: Int32, expected: String) {
        let bytes = buffer { $0.writeMultipleIntegers(microseconds, days, months, endianness: .big) }
        #expect(PostgresBinaryText.text(of: .interval, bytes) == expected)
    }

    @Test("inet and cidr addresses")
    func addresses() {
        func inet(_ family: UInt8, _ bits: UInt8, cidr: Bool, _ address: [UInt8]) -> ByteBuffer {
            ByteBuffer(bytes: [family, bits, cidr ? 1 : 0, UInt8(address.count)] + address)
        }
        #expect(PostgresBinaryText.text(of: .inet, inet(2, 32, cidr: false, [192, 168, 1, 5])) == "192.168.1.5")
        #expect(PostgresBinaryText.text(of: .inet, inet(2, 24, cidr: false, [192, 168, 1, 5])) == "192.168.1.5/24")
        #expect(PostgresBinaryText.text(of: .cidr, inet(2, 8, cidr: true, [10, 0, 0, 0])) == "10.0.0.0/8")
        let ipv6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1]
        #expect(PostgresBinaryText.text(of: .inet, inet(3, 64, cidr: false, ipv6)) == "2001:db8::1/64")
        #expect(PostgresBinaryText.text(of: .inet, inet(3, 200, cidr: false, ipv6)) == nil)
        #expect(PostgresBinaryText.text(of: .inet, inet(2, 32, cidr: false, [1, 2, 3])) == nil)
    }

    @Test("uuid, bytea, macaddr, bool, char and jsonb")
    func simpleTypes() {
        let uuid: [UInt8] = [0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11]
        #expect(PostgresBinaryText.text(of: .uuid, ByteBuffer(bytes: uuid)) == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
        #expect(PostgresBinaryText.text(of: .uuid, ByteBuffer(bytes: [1])) == nil)
        #expect(PostgresBinaryText.text(of: .bytea, ByteBuffer(bytes: [0xde, 0xad, 0xbe, 0xef])) == "\\xdeadbeef")
        #expect(PostgresBinaryText.text(of: .macaddr, ByteBuffer(bytes: [8, 0, 0x2b, 1, 2, 3])) == "08:00:2b:01:02:03")
        #expect(PostgresBinaryText.text(of: .bool, ByteBuffer(bytes: [1])) == "t")
        #expect(PostgresBinaryText.text(of: .bool, ByteBuffer(bytes: [0])) == "f")
        #expect(PostgresBinaryText.text(of: .char, ByteBuffer(bytes: [0x78])) == "x")
        #expect(PostgresBinaryText.text(of: .jsonb, ByteBuffer(bytes: [1] + Array(#"{"a": 1}"#.utf8))) == #"{"a": 1}"#)
        #expect(PostgresBinaryText.text(of: .jsonb, ByteBuffer(bytes: [2, 0x7b, 0x7d])) == nil)
    }

    @Test("floats print like PostgreSQL's shortest exact form")
    func floats() {
        #expect(PostgresBinaryText.floatText(1) == "1")
        #expect(PostgresBinaryText.floatText(-2.5) == "-2.5")
        #expect(PostgresBinaryText.floatText(.nan) == "NaN")
        #expect(PostgresBinaryText.floatText(-.infinity) == "-Infinity")
        #expect(PostgresBinaryText.floatText(0.1) == "0.1")
    }

    @Test("types defined in the database read as text only when they are valid text")
    func userDefinedTypes() {
        let enumType = PostgresDataType(16_500)
        #expect(PostgresBinaryText.text(of: enumType, ByteBuffer(string: "happy")) == "happy")
        #expect(PostgresBinaryText.text(of: enumType, ByteBuffer(bytes: [0xff, 0xfe])) == nil)
        #expect(PostgresBinaryText.text(of: enumType, ByteBuffer(bytes: [0x61, 0, 0x62])) == nil)
        #expect(PostgresBinaryText.text(of: .int4Array, ByteBuffer(bytes: [0, 0, 0, 1])) == nil)
    }
}
