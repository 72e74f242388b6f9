import Testing

@testable import Stratcon

/// The hand-over between a feed connection and its storage task.
@Suite("Staged batch queue")
struct StagedBatchQueueTests {
    @Test("what queued up while storage was busy is taken at once, in order; a waiting taker gets the next item")
    func takesEverythingQueued() async {
        let queue = StagedBatchQueue<Int>()
        queue.append(1)
        queue.append(2)
        queue.append(3)
        #expect(await queue.takeAll() == [1, 2, 3])
        async let next = queue.takeAll()
        // The taker may or may not be waiting yet; either way it gets 4 alone.
        queue.append(4)
        #expect(await next == [4])
    }

    @Test("finishing ends a waiting taker; items queued before the finish are still taken")
    func finish() async {
        let queue = StagedBatchQueue<Int>()
        queue.append(7)
        queue.finish()
        queue.append(8)  // after the finish: dropped
        #expect(await queue.takeAll() == [7])
        #expect(await queue.takeAll() == nil)

        let idle = StagedBatchQueue<Int>()
        async let waiting = idle.takeAll()
        idle.finish()
        #expect(await waiting == nil)
    }

    @Test("cancelling the taker ends its wait")
    func cancellation() async {
        let queue = StagedBatchQueue<Int>()
        let taker = Task { await queue.takeAll() }
        taker.cancel()
        #expect(await taker.value == nil)
    }
}
