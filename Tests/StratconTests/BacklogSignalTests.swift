import Stratcon
import Testing

/// The rollup pass's deferral while feeds drain a backlog, with explicit instants.
@Suite("Backlog signal")
struct BacklogSignalTests {
    @Test("rollups wait while large batches keep coming, at most the maximum deferral at a time, and run once they stop")
    func deferral() {
        let signal = BacklogSignal(quiet: .seconds(1), maximumDeferral: .seconds(10))
        let start = ContinuousClock.now
        func at(_ milliseconds: Int) -> ContinuousClock.Instant { start.advanced(by: .milliseconds(milliseconds)) }
        #expect(!signal.shouldDeferRollups(at: at(0)), "no backlog: run")
        signal.largeBatchStored(at: at(0))
        #expect(signal.shouldDeferRollups(at: at(100)))
        // A backlog that goes on: deferred until the maximum, then one pass, then deferred again.
        for second in 1...9 {
            signal.largeBatchStored(at: at(second * 1000))
            #expect(signal.shouldDeferRollups(at: at(second * 1000 + 50)))
        }
        signal.largeBatchStored(at: at(10_000))
        #expect(!signal.shouldDeferRollups(at: at(10_100)), "deferred 10 s: one pass runs")
        #expect(signal.shouldDeferRollups(at: at(10_200)), "and the next wait begins")
        // The backlog is drained: a second without a large batch and passes run freely.
        #expect(!signal.shouldDeferRollups(at: at(11_100)))
        #expect(!signal.shouldDeferRollups(at: at(30_000)))
    }
}
