import Testing

@testable import Feed

/// Both sides of the feed protocol, driven without sockets; the last tests run them against
/// each other through the codec.
@Suite("Feed protocol machines")
struct FeedMachineTests {
    static func batch(_ range: ClosedRange<UInt64>, lost: UInt64 = 0) -> FeedBatch {
        FeedBatch(records: range.map { FeedRecord(sequence: $0, payload: "record \($0)") }, lost: lost)
    }

    @Test("with a window of 1 the node sends one batch at a time and advances only on the matching ack")
    func serverOneAtATime() {
        var server = FeedServerMachine(subscriber: "agg-a", checkpoint: 10, limits: .init(maxRecords: 100, maxBytes: 1000))
        #expect(server.received(.hello(version: 2, maxRecords: 50, maxBytes: 5000, window: 1)) == [
            .send(.welcome(version: 2, subscriber: "agg-a", checkpoint: 10)),
            .readBatch(after: 10, maxRecords: 50, maxBytes: 1000),
        ])
        #expect(server.batchRead(Self.batch(11...13)) == [.send(.batch(Self.batch(11...13)))])
        #expect(server.dataAvailable() == [])
        #expect(server.heartbeatDue() == [])
        #expect(server.received(.ack(sequence: 13)) == [.advance(to: 13), .readBatch(after: 13, maxRecords: 50, maxBytes: 1000)])
        #expect(server.checkpoint == 13)
        #expect(server.batchRead(FeedBatch(records: [])) == [])
        #expect(server.heartbeatDue() == [.send(.heartbeat(lastSequence: 13))])
        #expect(server.dataAvailable() == [.readBatch(after: 13, maxRecords: 50, maxBytes: 1000)])
        #expect(server.dataAvailable() == [])
    }

    @Test("with a window of 2 the node reads ahead of the checkpoint and takes acks oldest first")
    func serverWindow() {
        var server = FeedServerMachine(subscriber: "agg-a", checkpoint: 0, limits: .init(maxRecords: 10, maxBytes: 1000))
        #expect(server.received(.hello(version: 2, maxRecords: 10, maxBytes: 1000, window: 2)).last
            == .readBatch(after: 0, maxRecords: 10, maxBytes: 1000))
        // The first batch goes out and the next read starts after it, before any ack.
        #expect(server.batchRead(Self.batch(1...10)) == [.send(.batch(Self.batch(1...10))), .readBatch(after: 10, maxRecords: 10, maxBytes: 1000)])
        // The window is full: no third read until an ack.
        #expect(server.batchRead(Self.batch(11...20)) == [.send(.batch(Self.batch(11...20)))])
        #expect(server.dataAvailable() == [])
        #expect(server.heartbeatDue() == [])
        #expect(server.received(.ack(sequence: 10)) == [.advance(to: 10), .readBatch(after: 20, maxRecords: 10, maxBytes: 1000)])
        #expect(server.checkpoint == 10)
        // Caught up: nothing more to read, one batch still out, so no heartbeat yet.
        #expect(server.batchRead(FeedBatch(records: [])) == [])
        #expect(server.heartbeatDue() == [])
        // An ack looks again at once, for what was journaled meanwhile.
        #expect(server.received(.ack(sequence: 20)) == [.advance(to: 20), .readBatch(after: 20, maxRecords: 10, maxBytes: 1000)])
        #expect(server.heartbeatDue() == [])
        #expect(server.batchRead(FeedBatch(records: [])) == [])
        #expect(server.heartbeatDue() == [.send(.heartbeat(lastSequence: 20))])
        #expect(server.dataAvailable() == [.readBatch(after: 20, maxRecords: 10, maxBytes: 1000)])
    }

    @Test("the node caps the window an aggregator asks for, and speaks version 1 with one batch in flight")
    func serverWindowLimits() {
        var greedy = FeedServerMachine(subscriber: "a", checkpoint: 0, limits: .init(maxRecords: 1, maxBytes: 100, maxWindow: 2))
        _ = greedy.received(.hello(version: 2, maxRecords: 1, maxBytes: 100, window: 500))
        #expect(greedy.batchRead(Self.batch(1...1)).count == 2)
        #expect(greedy.batchRead(Self.batch(2...2)) == [.send(.batch(Self.batch(2...2)))])

        var old = FeedServerMachine(subscriber: "a", checkpoint: 0)
        #expect(old.received(.hello(version: 1, maxRecords: 5, maxBytes: 100, window: 1)).first
            == .send(.welcome(version: 1, subscriber: "a", checkpoint: 0)))
        #expect(old.batchRead(Self.batch(1...5)) == [.send(.batch(Self.batch(1...5)))])
    }

    @Test("a wrong, early, out-of-order or repeated ack ends the connection without advancing")
    func serverRefusesBadAcks() {
        var server = FeedServerMachine(subscriber: "agg-a", checkpoint: 0)
        _ = server.received(.hello(version: 2, maxRecords: 10, maxBytes: 100, window: 1))
        _ = server.batchRead(Self.batch(1...5))
        #expect(server.received(.ack(sequence: 4)) == [.close(reason: "ack 4 does not match the last record of the oldest batch sent, 5")])
        #expect(server.checkpoint == 0)
        #expect(server.isClosed)
        #expect(server.received(.ack(sequence: 5)) == [])

        var skipping = FeedServerMachine(subscriber: "agg-a", checkpoint: 0)
        _ = skipping.received(.hello(version: 2, maxRecords: 5, maxBytes: 100, window: 2))
        _ = skipping.batchRead(Self.batch(1...5))
        _ = skipping.batchRead(Self.batch(6...10))
        // Acknowledging the newer batch first would skip the older one's storage.
        #expect(skipping.received(.ack(sequence: 10)) == [.close(reason: "ack 10 does not match the last record of the oldest batch sent, 5")])
        #expect(skipping.checkpoint == 0)

        var early = FeedServerMachine(subscriber: "agg-a", checkpoint: 0)
        _ = early.received(.hello(version: 2, maxRecords: 10, maxBytes: 100, window: 2))
        #expect(early.received(.ack(sequence: 1)) == [.close(reason: "ack 1 with no batch outstanding")])
    }

    @Test("the node insists on hello first, in a version it speaks")
    func serverHandshake() {
        var wrongFirst = FeedServerMachine(subscriber: "a", checkpoint: 0)
        #expect(wrongFirst.received(.ack(sequence: 0)) == [.close(reason: "expected hello, got ack")])
        var wrongVersion = FeedServerMachine(subscriber: "a", checkpoint: 0)
        #expect(wrongVersion.received(.hello(version: 9, maxRecords: 1, maxBytes: 1, window: 1)) == [
            .close(reason: "unsupported feed protocol version 9 (this node speaks 1 to 2)"),
        ])
        var twice = FeedServerMachine(subscriber: "a", checkpoint: 0)
        _ = twice.received(.hello(version: 2, maxRecords: 1, maxBytes: 1, window: 1))
        #expect(twice.received(.hello(version: 2, maxRecords: 1, maxBytes: 1, window: 1)) == [.close(reason: "hello sent twice")])
        var nodeFrame = FeedServerMachine(subscriber: "a", checkpoint: 0)
        _ = nodeFrame.received(.hello(version: 2, maxRecords: 1, maxBytes: 1, window: 1))
        #expect(nodeFrame.received(.heartbeat(lastSequence: 1)) == [.close(reason: "heartbeat is not a frame an aggregator sends")])
    }

    @Test("the aggregator acknowledges only what storage made durable, in order")
    func clientAcksAfterStorage() {
        var client = FeedClientMachine(maxRecords: 100, maxBytes: 1000, window: 2)
        #expect(client.start() == [.send(.hello(version: 2, maxRecords: 100, maxBytes: 1000, window: 2))])
        #expect(client.received(.welcome(version: 2, subscriber: "agg-a", checkpoint: 10)) == [
            .subscribed(subscriber: "agg-a", checkpoint: 10),
        ])
        #expect(client.received(.batch(Self.batch(11...20))) == [.store(Self.batch(11...20))])
        // The second batch arrives while the first is being stored.
        #expect(client.received(.batch(Self.batch(21...30))) == [.store(Self.batch(21...30))])
        #expect(client.stored(through: 19) == [])
        #expect(client.stored(through: 30) == [])
        #expect(client.checkpoint == 10)
        #expect(client.stored(through: 20) == [.send(.ack(sequence: 20))])
        #expect(client.stored(through: 30) == [.send(.ack(sequence: 30))])
        #expect(client.checkpoint == 30)
        #expect(client.received(.heartbeat(lastSequence: 30)) == [])
    }

    @Test("the aggregator drops a node that replays, overruns or exceeds the window")
    func clientRefusesBadBatches() {
        var replay = FeedClientMachine()
        _ = replay.received(.welcome(version: 2, subscriber: "a", checkpoint: 10))
        #expect(replay.received(.batch(Self.batch(10...12))) == [.close(reason: "batch starts at 10, not after 10")])
        var overlapping = FeedClientMachine()
        _ = overlapping.received(.welcome(version: 2, subscriber: "a", checkpoint: 0))
        _ = overlapping.received(.batch(Self.batch(1...5)))
        #expect(overlapping.received(.batch(Self.batch(5...6))) == [.close(reason: "batch starts at 5, not after 5")])
        var pipelined = FeedClientMachine(window: 2)
        _ = pipelined.received(.welcome(version: 2, subscriber: "a", checkpoint: 0))
        _ = pipelined.received(.batch(Self.batch(1...2)))
        _ = pipelined.received(.batch(Self.batch(3...4)))
        #expect(pipelined.received(.batch(Self.batch(5...6))) == [.close(reason: "more than 2 unacknowledged batches")])
        var big = FeedClientMachine(maxRecords: 2)
        _ = big.received(.welcome(version: 2, subscriber: "a", checkpoint: 0))
        #expect(big.received(.batch(Self.batch(1...3))) == [.close(reason: "batch of 3 records exceeds the 2 asked for")])
        var early = FeedClientMachine()
        #expect(early.received(.batch(Self.batch(1...1))) == [.close(reason: "expected welcome, got batch")])
        var old = FeedClientMachine()
        #expect(old.received(.welcome(version: 1, subscriber: "a", checkpoint: 0)) == [.close(reason: "node speaks feed protocol version 1")])
    }

    /// Both machines against each other through the codec, with a journal of 1,000 records,
    /// a connection that drops with batches unacknowledged, and a reconnect that resumes.
    /// Storage lags one batch behind receipt, as the pipelined aggregator does.
    @Test("end to end: every record delivered, acknowledged once, resumed after a drop", arguments: [UInt16(1), 2, 3])
    func bothSides(window: UInt16) throws {
        let journal = (1...1_000).map { FeedRecord(sequence: UInt64($0), payload: "record \($0)") }
        var nodeCheckpoint: UInt64 = 0
        var stored = [UInt64]()
        var acknowledged = [UInt64]()
        for connection in 0..<2 {
            var server = FeedServerMachine(subscriber: "agg", checkpoint: nodeCheckpoint, limits: .init(maxRecords: 64, maxBytes: 1 << 20))
            var client = FeedClientMachine(maxRecords: 100, maxBytes: 1 << 20, window: window)
            var toServer = client.start().compactMap { if case .send(let frame) = $0 { frame } else { nil } }
            var inHand = [FeedBatch]()
            var batchesThisConnection = 0
            var running = true
            while running {
                var toClient = [FeedFrame]()
                for frame in toServer {
                    var wire = frame.encoded
                    var actions = server.received(try #require(try FeedFrame.decode(from: &wire)))
                    while !actions.isEmpty {
                        switch actions.removeFirst() {
                        case .send(let frame): toClient.append(frame)
                        case .readBatch(let after, let maxRecords, _):
                            #expect(after >= nodeCheckpoint)
                            let next = journal.filter { $0.sequence > after }.prefix(maxRecords)
                            actions += server.batchRead(FeedBatch(records: Array(next)))
                        case .advance(let sequence):
                            #expect(sequence > nodeCheckpoint)
                            nodeCheckpoint = sequence
                            acknowledged.append(sequence)
                        case .close: running = false
                        }
                    }
                }
                toServer = []
                for frame in toClient {
                    var wire = frame.encoded
                    for action in client.received(try #require(try FeedFrame.decode(from: &wire))) {
                        if case .store(let batch) = action { inHand.append(batch) }
                        if case .close = action { running = false }
                    }
                }
                // Store the oldest batch in hand; the rest wait, as they would behind a commit.
                guard running, !inHand.isEmpty else { break }
                let batch = inHand.removeFirst()
                batchesThisConnection += 1
                stored += batch.records.map(\.sequence)
                // The first connection "crashes" after storing its third batch, before that
                // batch's ack leaves: it, and any batch behind it, must come again.
                if connection == 0 && batchesThisConnection == 3 { break }
                for ack in client.stored(through: batch.lastSequence!) {
                    if case .send(let frame) = ack { toServer.append(frame) }
                }
            }
        }
        #expect(nodeCheckpoint == 1_000)
        #expect(acknowledged == acknowledged.sorted())
        // At least once: the unacknowledged batch came twice; storage dedups by key.
        #expect(Set(stored) == Set(1...1_000))
        #expect(stored.count == 1_000 + 64)
    }
}
