import Testing

@testable import Feed

/// Both sides of the feed protocol, driven without sockets; the last test runs them against
/// each other through the codec.
@Suite("Feed protocol machines")
struct FeedMachineTests {
    static func batch(_ range: ClosedRange<UInt64>, lost: UInt64 = 0) -> FeedBatch {
        FeedBatch(records: range.map { FeedRecord(sequence: $0, payload: "record \($0)") }, lost: lost)
    }

    @Test("the node sends one batch at a time and advances only on the matching ack")
    func serverHappyPath() {
        var server = FeedServerMachine(subscriber: "agg-a", checkpoint: 10, limits: .init(maxRecords: 100, maxBytes: 1000))
        #expect(server.received(.hello(version: 1, maxRecords: 50, maxBytes: 5000)) == [
            .send(.welcome(version: 1, subscriber: "agg-a", checkpoint: 10)),
            .readBatch(maxRecords: 50, maxBytes: 1000),
        ])
        #expect(server.batchRead(Self.batch(11...13)) == [.send(.batch(Self.batch(11...13)))])
        #expect(server.dataAvailable() == [])
        #expect(server.heartbeatDue() == [])
        #expect(server.received(.ack(sequence: 13)) == [.advance(to: 13), .readBatch(maxRecords: 50, maxBytes: 1000)])
        #expect(server.checkpoint == 13)
        #expect(server.batchRead(FeedBatch(records: [])) == [])
        #expect(server.heartbeatDue() == [.send(.heartbeat(lastSequence: 13))])
        #expect(server.dataAvailable() == [.readBatch(maxRecords: 50, maxBytes: 1000)])
        #expect(server.dataAvailable() == [])
    }

    @Test("a wrong, early or repeated ack ends the connection without advancing")
    func serverRefusesBadAcks() {
        var server = FeedServerMachine(subscriber: "agg-a", checkpoint: 0)
        _ = server.received(.hello(version: 1, maxRecords: 10, maxBytes: 100))
        _ = server.batchRead(Self.batch(1...5))
        #expect(server.received(.ack(sequence: 4)) == [.close(reason: "ack 4 does not match the last record sent, 5")])
        #expect(server.checkpoint == 0)
        #expect(server.isClosed)
        #expect(server.received(.ack(sequence: 5)) == [])

        var early = FeedServerMachine(subscriber: "agg-a", checkpoint: 0)
        _ = early.received(.hello(version: 1, maxRecords: 10, maxBytes: 100))
        #expect(early.received(.ack(sequence: 1)) == [.close(reason: "ack 1 with no batch outstanding")])
    }

    @Test("the node insists on hello first, in its version")
    func serverHandshake() {
        var wrongFirst = FeedServerMachine(subscriber: "a", checkpoint: 0)
        #expect(wrongFirst.received(.ack(sequence: 0)) == [.close(reason: "expected hello, got ack")])
        var wrongVersion = FeedServerMachine(subscriber: "a", checkpoint: 0)
        #expect(wrongVersion.received(.hello(version: 9, maxRecords: 1, maxBytes: 1)) == [
            .close(reason: "unsupported feed protocol version 9 (this node speaks 1)"),
        ])
        var twice = FeedServerMachine(subscriber: "a", checkpoint: 0)
        _ = twice.received(.hello(version: 1, maxRecords: 1, maxBytes: 1))
        #expect(twice.received(.hello(version: 1, maxRecords: 1, maxBytes: 1)) == [.close(reason: "hello sent twice")])
        var nodeFrame = FeedServerMachine(subscriber: "a", checkpoint: 0)
        _ = nodeFrame.received(.hello(version: 1, maxRecords: 1, maxBytes: 1))
        #expect(nodeFrame.received(.heartbeat(lastSequence: 1)) == [.close(reason: "heartbeat is not a frame an aggregator sends")])
    }

    @Test("the aggregator acknowledges only what storage made durable")
    func clientAcksAfterStorage() {
        var client = FeedClientMachine(maxRecords: 100, maxBytes: 1000)
        #expect(client.start() == [.send(.hello(version: 1, maxRecords: 100, maxBytes: 1000))])
        #expect(client.received(.welcome(version: 1, subscriber: "agg-a", checkpoint: 10)) == [
            .subscribed(subscriber: "agg-a", checkpoint: 10),
        ])
        #expect(client.received(.batch(Self.batch(11...20))) == [.store(Self.batch(11...20))])
        #expect(client.stored(through: 19) == [])
        #expect(client.checkpoint == 10)
        #expect(client.stored(through: 20) == [.send(.ack(sequence: 20))])
        #expect(client.checkpoint == 20)
        #expect(client.received(.heartbeat(lastSequence: 20)) == [])
    }

    @Test("the aggregator drops a node that replays, overruns or pipelines")
    func clientRefusesBadBatches() {
        var replay = FeedClientMachine()
        _ = replay.received(.welcome(version: 1, subscriber: "a", checkpoint: 10))
        #expect(replay.received(.batch(Self.batch(10...12))) == [.close(reason: "batch starts at 10, not after the checkpoint 10")])
        var pipelined = FeedClientMachine()
        _ = pipelined.received(.welcome(version: 1, subscriber: "a", checkpoint: 0))
        _ = pipelined.received(.batch(Self.batch(1...2)))
        #expect(pipelined.received(.batch(Self.batch(3...4))) == [.close(reason: "a second batch before the first was acknowledged")])
        var big = FeedClientMachine(maxRecords: 2)
        _ = big.received(.welcome(version: 1, subscriber: "a", checkpoint: 0))
        #expect(big.received(.batch(Self.batch(1...3))) == [.close(reason: "batch of 3 records exceeds the 2 asked for")])
        var early = FeedClientMachine()
        #expect(early.received(.batch(Self.batch(1...1))) == [.close(reason: "expected welcome, got batch")])
    }

    /// Both machines against each other through the codec, with a journal of 1,000 records,
    /// a connection that drops after the second batch, and a reconnect that resumes.
    @Test("end to end: every record delivered, acknowledged once, resumed after a drop")
    func bothSides() throws {
        let journal = (1...1_000).map { FeedRecord(sequence: UInt64($0), payload: "record \($0)") }
        var nodeCheckpoint: UInt64 = 0
        var stored = [UInt64]()
        for connection in 0..<2 {
            var server = FeedServerMachine(subscriber: "agg", checkpoint: nodeCheckpoint, limits: .init(maxRecords: 64, maxBytes: 1 << 20))
            var client = FeedClientMachine(maxRecords: 100, maxBytes: 1 << 20)
            var toServer = client.start().compactMap { if case .send(let frame) = $0 { frame } else { nil } }
            var batchesThisConnection = 0
            var running = true
            while running {
                var toClient = [FeedFrame]()
                for frame in toServer {
                    var wire = frame.encoded
                    var actions = server.received(try #require(try FeedFrame.decode(from: &wire)))
                    while !actions.isEmpty {
                        let action = actions.removeFirst()
                        switch action {
                        case .send(let frame): toClient.append(frame)
                        case .readBatch(let maxRecords, _):
                            let next = journal.filter { $0.sequence > nodeCheckpoint }.prefix(maxRecords)
                            actions += server.batchRead(FeedBatch(records: Array(next)))
                        case .advance(let sequence): nodeCheckpoint = sequence
                        case .close: running = false
                        }
                    }
                }
                toServer = []
                if toClient.isEmpty { break }
                for frame in toClient {
                    var wire = frame.encoded
                    for action in client.received(try #require(try FeedFrame.decode(from: &wire))) {
                        if case .store(let batch) = action {
                            batchesThisConnection += 1
                            // The first connection "crashes" after storing its second batch,
                            // before the ack leaves: that batch must come again.
                            stored += batch.records.map(\.sequence)
                            if connection == 0 && batchesThisConnection == 2 { running = false; break }
                            for ack in client.stored(through: batch.lastSequence!) {
                                if case .send(let frame) = ack { toServer.append(frame) }
                            }
                        }
                    }
                }
                if toServer.isEmpty { break }
            }
        }
        #expect(nodeCheckpoint == 1_000)
        // At least once: the unacknowledged batch came twice; storage dedups by key.
        #expect(Set(stored) == Set(1...1_000))
        #expect(stored.count == 1_000 + 64)
    }
}
