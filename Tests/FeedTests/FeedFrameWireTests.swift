import NIOCore
import Testing

@testable import Feed

@Suite("Feed frames on the wire")
struct FeedFrameWireTests {
    static let frames: [FeedFrame] = [
        // Version 1 had no window on the wire: it reads back as one batch in flight.
        .hello(version: 1, maxRecords: 10_000, maxBytes: 4_194_304, window: 1),
        .hello(version: 2, maxRecords: 10_000, maxBytes: 4_194_304, window: 2),
        .welcome(version: 1, subscriber: "stratcon-a", checkpoint: 41),
        .batch(FeedBatch(records: [
            FeedRecord(sequence: 42, payload: "S\t1700000000.000\tuuid\tG\tA\t3\tok"),
            FeedRecord(sequence: 43, payload: "M\t1700000000.000\tuuid\tname\tn\t1.5 ünï 🚀"),
        ], lost: 7)),
        .batch(FeedBatch(records: [])),
        .ack(sequence: 43),
        .heartbeat(lastSequence: 43),
        .goodbye(reason: "shutting down"),
    ]

    @Test(arguments: frames)
    func roundTrips(_ frame: FeedFrame) throws {
        var buffer = frame.encoded
        #expect(try FeedFrame.decode(from: &buffer) == frame)
        #expect(buffer.readableBytes == 0)
    }

    @Test("frames split at every byte boundary decode once complete")
    func byteAtATime() throws {
        var wire = ByteBuffer()
        for frame in Self.frames { frame.encode(into: &wire) }
        var pending = ByteBuffer()
        var decoded = [FeedFrame]()
        for byte in wire.readableBytesView {
            pending.writeInteger(byte)
            while let frame = try FeedFrame.decode(from: &pending) { decoded.append(frame) }
        }
        #expect(decoded == Self.frames)
    }

    @Test("garbage is refused with a reason, never allocated for")
    func garbage() {
        func refusal(_ bytes: [UInt8]) -> FeedProtocolError? {
            var buffer = ByteBuffer(bytes: bytes)
            do {
                _ = try FeedFrame.decode(from: &buffer)
                return nil
            } catch {
                return error
            }
        }
        #expect(refusal([0xFF, 0xFF, 0xFF, 0xFF, 1])?.message.hasPrefix("frame length 4294967295 is out of bounds") == true)
        #expect(refusal([0, 0, 0, 0])?.message.hasPrefix("frame length 0") == true)
        #expect(refusal([0, 0, 0, 1, 99])?.message == "unknown frame type 99")
        #expect(refusal([0, 0, 0, 3, 4, 0, 1])?.message == "truncated frame: no ack sequence")
        // A batch claiming 4 billion records in a few bytes.
        #expect(refusal([0, 0, 0, 13, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])?.message == "batch claims 4294967295 records in 0 bytes")
        // Invalid UTF-8 in a goodbye reason.
        #expect(refusal([0, 0, 0, 7, 6, 0, 0, 0, 2, 0xC3, 0x28])?.message == "goodbye reason is not valid UTF-8")
        // Trailing bytes after an ack.
        #expect(refusal([0, 0, 0, 10, 4, 0, 0, 0, 0, 0, 0, 0, 1, 0])?.message == "1 unexpected bytes after a ack frame")
        // Records out of order.
        var unordered = FeedFrame.batch(FeedBatch(records: [FeedRecord(sequence: 5, payload: "a"), FeedRecord(sequence: 5, payload: "b")])).encoded
        #expect(throws: FeedProtocolError("record 5 does not follow 5")) { try FeedFrame.decode(from: &unordered) }
    }

    @Test("an incomplete frame waits for more bytes")
    func incomplete() throws {
        var buffer = FeedFrame.ack(sequence: 9).encoded
        var partial = buffer.readSlice(length: 6)!
        #expect(try FeedFrame.decode(from: &partial) == nil)
        #expect(partial.readableBytes == 6)
    }
}
