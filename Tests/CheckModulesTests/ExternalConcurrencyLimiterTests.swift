import Testing

@testable import CheckModules

@Suite("external: the node-wide cap on concurrent plugins")
struct ExternalConcurrencyLimiterTests {
    /// Lets other tasks run until `condition` holds; the limiter offers no event to await.
    func yieldUntil(_ condition: () -> Bool) async {
        while !condition() { await Task.yield() }
    }

    @Test("the default cap is 32 unless the environment says otherwise")
    func defaultLimit() {
        #expect(ExternalConcurrencyLimiter.defaultLimit == 32)
        #expect(ExternalConcurrencyLimiter(limit: 0).limit == 1)
    }

    @Test("a run beyond the cap waits for a slot and gets it when one is released")
    func waitsForSlot() async {
        let limiter = ExternalConcurrencyLimiter(limit: 1)
        #expect(await limiter.acquire())
        let waiter = Task { await limiter.acquire() }
        await yieldUntil { limiter.waiting == 1 }
        #expect(limiter.inUse == 1)
        limiter.release()
        #expect(await waiter.value)
        #expect(limiter.inUse == 1)
        #expect(limiter.waiting == 0)
        limiter.release()
        #expect(limiter.inUse == 0)
    }

    @Test("waiters are served first come, first served")
    func fifo() async {
        let limiter = ExternalConcurrencyLimiter(limit: 1)
        #expect(await limiter.acquire())
        let (order, continuation) = AsyncStream.makeStream(of: Int.self)
        var tasks = [Task<Void, Never>]()
        for index in 0..<3 {
            tasks.append(
                Task {
                    _ = await limiter.acquire()
                    continuation.yield(index)
                    limiter.release()
                })
            await yieldUntil { limiter.waiting == index + 1 }
        }
        limiter.release()
        var seen = [Int]()
        for await index in order {
            seen.append(index)
            if seen.count == 3 { break }
        }
        #expect(seen == [0, 1, 2])
        for task in tasks { await task.value }
        #expect(limiter.inUse == 0)
    }

    @Test("a cancelled waiter leaves the queue without taking a slot")
    func cancelledWaiter() async {
        let limiter = ExternalConcurrencyLimiter(limit: 1)
        #expect(await limiter.acquire())
        let waiter = Task { await limiter.acquire() }
        await yieldUntil { limiter.waiting == 1 }
        waiter.cancel()
        #expect(await waiter.value == false)
        #expect(limiter.waiting == 0)
        limiter.release()
        #expect(limiter.inUse == 0)
    }

    @Test("an already cancelled task gets no slot")
    func alreadyCancelled() async {
        let limiter = ExternalConcurrencyLimiter(limit: 4)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await limiter.acquire()
        }
        #expect(await task.value == false)
        #expect(limiter.inUse == 0)
    }
}
