import Testing

@testable import ConsoleServer

@Suite struct ConsoleIdleTrackerTests {
    let start = ContinuousClock.now

    @Test func expiresAfterTimeoutWithoutInput() {
        var idle = ConsoleIdleTracker(timeout: .seconds(10), now: start)
        #expect(idle.check(at: start + .seconds(5)) == .checkAgain(at: start + .seconds(10)))
        idle.input(at: start + .seconds(5))
        #expect(idle.check(at: start + .seconds(10)) == .checkAgain(at: start + .seconds(15)))
        #expect(idle.check(at: start + .seconds(15)) == .expired)
    }

    @Test func aWorkingCommandIsActivityOnlyWhileItWorks() {
        var idle = ConsoleIdleTracker(timeout: .seconds(10), now: start)
        idle.commandStarted(at: start)
        #expect(idle.check(at: start + .seconds(100)) == .checkAgain(at: start + .seconds(110)))
        // Waiting for the user (a key, --More--) is not work: the clock runs from there.
        idle.keyWaitStarted(at: start + .seconds(100))
        #expect(idle.check(at: start + .seconds(109)) == .checkAgain(at: start + .seconds(110)))
        // Output that reaches the client (a streaming `watch`) is activity.
        idle.wrote(at: start + .seconds(105))
        #expect(idle.check(at: start + .seconds(110)) == .checkAgain(at: start + .seconds(115)))
        #expect(idle.check(at: start + .seconds(115)) == .expired)
    }

    @Test func aBlockedWriteIsNotActivity() {
        var idle = ConsoleIdleTracker(timeout: .seconds(10), now: start)
        idle.commandStarted(at: start)
        idle.writeBlocked(at: start + .seconds(3))
        #expect(idle.check(at: start + .seconds(13)) == .expired)
        idle.writeUnblocked(at: start + .seconds(13))
        #expect(idle.isBusy)
        idle.commandEnded(at: start + .seconds(20))
        #expect(idle.check(at: start + .seconds(29)) == .checkAgain(at: start + .seconds(30)))
    }
}
