import NIOCore

extension FeedFrame {
    /// Appends the frame, length prefix included.
    public func encode(into buffer: inout ByteBuffer) {
        let start = buffer.writerIndex
        buffer.writeInteger(UInt32(0))
        switch self {
        case .hello(let version, let maxRecords, let maxBytes, let window):
            buffer.writeInteger(Kind.hello.rawValue)
            buffer.writeInteger(version)
            buffer.writeInteger(maxRecords)
            buffer.writeInteger(maxBytes)
            if version != 1 { buffer.writeInteger(window) }
        case .welcome(let version, let subscriber, let checkpoint):
            buffer.writeInteger(Kind.welcome.rawValue)
            buffer.writeInteger(version)
            Self.writeString(subscriber, into: &buffer)
            buffer.writeInteger(checkpoint)
        case .batch(let batch):
            buffer.writeInteger(Kind.batch.rawValue)
            buffer.writeInteger(batch.lost)
            buffer.writeInteger(UInt32(batch.records.count))
            for record in batch.records {
                buffer.writeInteger(record.sequence)
                Self.writeString(record.payload, into: &buffer)
            }
        case .ack(let sequence):
            buffer.writeInteger(Kind.ack.rawValue)
            buffer.writeInteger(sequence)
        case .heartbeat(let lastSequence):
            buffer.writeInteger(Kind.heartbeat.rawValue)
            buffer.writeInteger(lastSequence)
        case .goodbye(let reason):
            buffer.writeInteger(Kind.goodbye.rawValue)
            Self.writeString(reason, into: &buffer)
        }
        buffer.setInteger(UInt32(buffer.writerIndex - start - 4), at: start)
    }

    /// The encoded frame as bytes.
    public var encoded: ByteBuffer {
        var buffer = ByteBuffer()
        encode(into: &buffer)
        return buffer
    }

    /// Takes one whole frame off the front of `buffer`; nil when more bytes are needed.
    /// - Throws: ``FeedProtocolError`` for a length out of bounds, an unknown type, a payload
    ///   that does not match its type, or invalid UTF-8. The connection is then unusable:
    ///   there is no way to find the next frame boundary in garbage.
    public static func decode(from buffer: inout ByteBuffer) throws(FeedProtocolError) -> FeedFrame? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        guard length >= 1, Int(length) <= maximumLength else {
            throw FeedProtocolError("frame length \(length) is out of bounds (1...\(maximumLength))")
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        guard var body = buffer.readSlice(length: Int(length)) else { return nil }
        let frame = try parse(&body)
        guard body.readableBytes == 0 else {
            throw FeedProtocolError("\(body.readableBytes) unexpected bytes after a \(frame.name) frame")
        }
        return frame
    }

    var name: String {
        switch self {
        case .hello: "hello"
        case .welcome: "welcome"
        case .batch: "batch"
        case .ack: "ack"
        case .heartbeat: "heartbeat"
        case .goodbye: "goodbye"
        }
    }

    private static func parse(_ body: inout ByteBuffer) throws(FeedProtocolError) -> FeedFrame {
        let typeByte: UInt8 = try read(&body, "type")
        guard let kind = Kind(rawValue: typeByte) else { throw FeedProtocolError("unknown frame type \(typeByte)") }
        switch kind {
        case .hello:
            let version: UInt16 = try read(&body, "hello version")
            let maxRecords: UInt32 = try read(&body, "hello max records")
            let maxBytes: UInt32 = try read(&body, "hello max bytes")
            // Version 1 had no window: one batch in flight.
            let window: UInt16 = version == 1 ? 1 : try read(&body, "hello window")
            return .hello(version: version, maxRecords: maxRecords, maxBytes: maxBytes, window: window)
        case .welcome:
            return .welcome(version: try read(&body, "welcome version"), subscriber: try readString(&body, "welcome subscriber"),
                            checkpoint: try read(&body, "welcome checkpoint"))
        case .batch:
            let lost: UInt64 = try read(&body, "batch lost count")
            let count: UInt32 = try read(&body, "batch record count")
            // Each record takes at least 12 bytes, so a count the body cannot hold is garbage;
            // checking first keeps a forged count from reserving memory.
            guard Int(count) <= body.readableBytes / 12 else {
                throw FeedProtocolError("batch claims \(count) records in \(body.readableBytes) bytes")
            }
            var records = [FeedRecord]()
            records.reserveCapacity(Int(count))
            var previous: UInt64?
            for _ in 0..<count {
                let sequence: UInt64 = try read(&body, "record sequence")
                if let previous, sequence != previous + 1 {
                    throw FeedProtocolError("record \(sequence) does not follow \(previous)")
                }
                previous = sequence
                records.append(FeedRecord(sequence: sequence, payload: try readString(&body, "record payload")))
            }
            return .batch(FeedBatch(records: records, lost: lost))
        case .ack:
            return .ack(sequence: try read(&body, "ack sequence"))
        case .heartbeat:
            return .heartbeat(lastSequence: try read(&body, "heartbeat sequence"))
        case .goodbye:
            return .goodbye(reason: try readString(&body, "goodbye reason"))
        }
    }

    private static func read<Integer: FixedWidthInteger>(_ body: inout ByteBuffer, _ what: String) throws(FeedProtocolError) -> Integer {
        guard let value = body.readInteger(as: Integer.self) else { throw FeedProtocolError("truncated frame: no \(what)") }
        return value
    }

    private static func readString(_ body: inout ByteBuffer, _ what: String) throws(FeedProtocolError) -> String {
        let length: UInt32 = try read(&body, "\(what) length")
        guard let bytes = body.readBytes(length: Int(length)) else { throw FeedProtocolError("truncated frame: \(what) cut short") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw FeedProtocolError("\(what) is not valid UTF-8") }
        return text
    }

    private static func writeString(_ text: String, into buffer: inout ByteBuffer) {
        let start = buffer.writerIndex
        buffer.writeInteger(UInt32(0))
        let written = buffer.writeString(text)
        buffer.setInteger(UInt32(written), at: start)
    }
}
