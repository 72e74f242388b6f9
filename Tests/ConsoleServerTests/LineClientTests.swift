import Console
import ConsoleServer
import NIOCore
import NIOPosix
import NoitTestSupport
import Testing

/// Clients that speak no telnet (`nc`, scripts), the limits, and hostile input.
@Suite struct LineClientTests {
    @Test func plainSocketGetsLineMode() async throws {
        try await ConsoleTestServer.with { server, _ in
            let client = try await server.lineClient()
            try await client.waitFor("noitd test console\r\nnoit# ")
            try await client.send("sh ver\n")
            try await client.waitFor("noitd test 0.1\r\nnoit# ")
            #expect(!client.text.contains("sh ver"))  // no echo
            try await client.send("show ?\n")
            try await client.waitFor("  version   Software version\r\nnoit# ")
            try await client.send("show bogus\r\n")
            try await client.waitFor("noit# show bogus\r\n           ^\r\n% Invalid input detected at '^' marker.\r\nnoit# ")
            try await client.send("s\n")
            try await client.waitFor("% Ambiguous command: \"s\"\r\n")
            try await client.send("configure\n")
            try await client.waitFor("% Incomplete command.\r\nnoit# ")
            try await client.send("show terminal\n")
            try await client.waitFor("width 80 height 0 length 0")
            try await client.send("exit\n")
            try await client.waitFor("bye\r\n")
            try await client.waitForClose()
        }
    }

    @Test func scriptThatHalfClosesGetsAllItsAnswers() async throws {
        try await ConsoleTestServer.with { server, _ in
            let client = try await server.lineClient()
            try await client.send("show version\nconfigure terminal\nls\nend\nshow values\n")
            try await client.shutdownOutput()
            try await client.waitFor("noitd test 0.1\r\n")
            try await client.waitFor("noit(conf:/)# checks/\r\n")
            try await client.waitFor("values done\r\nnoit# ")
            try await client.waitForClose()
        }
    }

    @Test func passwordThreeStrikes() async throws {
        let hash = ConsolePassword.hash("s3cret", iterations: 1000)
        try await ConsoleTestServer.with({ $0.passwordHash = hash }) { server, _ in
            let good = try await server.lineClient()
            try await good.waitFor("Password: ")
            try await good.send("s3cret\n")
            try await good.waitFor("noit# ")

            let bad = try await server.lineClient()
            try await bad.waitFor("Password: ")
            try await bad.send("one\n")
            try await bad.waitFor("% Login invalid\r\n\r\nPassword: ")
            try await bad.send("two\n")
            try await bad.waitFor("% Login invalid\r\n\r\nPassword: ")
            try await bad.send("three\nshow version\n")
            try await bad.waitFor("% Bad passwords\r\n")
            try await bad.waitForClose()
            #expect(!bad.text.contains("noitd test 0.1"))
            #expect(!server.logs.lines.contains { $0.contains("s3cret") || $0.contains("three") })
            #expect(server.logs.lines.filter { $0.contains("console login failed") }.count == 3)
            await good.close()
        }
    }

    @Test func idleTimeout() async throws {
        try await ConsoleTestServer.with({ $0.idleTimeout = .milliseconds(200) }) { server, _ in
            let client = try await server.lineClient()
            try await client.waitFor("noit# ")
            try await client.waitFor("% Idle timeout\r\n")
            try await client.waitForClose()
        }
    }

    @Test func streamingCommandIsNotIdleButItsPagerIs() async throws {
        // The session's time is the test's: a console loop busy with other tests' floods must
        // not pass for an idle session, nor a slow one for a streaming session (the exact
        // rules are ConsoleIdleTrackerTests').
        let clock = ManualClock()
        let tick = Duration.milliseconds(20)
        try await ConsoleTestServer.with(clock: clock, { $0.idleTimeout = .seconds(1) }) { server, _ in
            let client = try await server.lineClient()
            try await client.send("watch\n")
            try await client.waitFor("noit# ")
            // Three idle timeouts pass while `watch` streams (it waits for a key, so only its
            // output counts as activity), one 20 ms tick at a time.
            for number in 1...150 {
                try await client.waitFor("tick \(number)\r\n")
                try await eventually { clock.sleeperCount(dueBy: clock.now + tick) > 0 }
                clock.advance(by: tick)
            }
            #expect(!client.text.contains("Idle timeout"))
            try await client.send("x\n")
            try await client.waitFor("watch stopped by 120\r\nnoit# ")
            // …and once it ended, the idle clock runs again.
            clock.advance(by: .seconds(1))
            try await client.waitFor("% Idle timeout\r\n")
            try await client.waitForClose()
        }
    }

    @Test func maxSessions() async throws {
        try await ConsoleTestServer.with({ $0.maxSessions = 2 }) { server, _ in
            let first = try await server.lineClient()
            let second = try await server.lineClient()
            try await first.waitFor("noit# ")
            try await second.waitFor("noit# ")
            let third = try await server.lineClient()
            try await third.waitFor("% Too many console sessions\r\n")
            try await third.waitForClose()
            #expect(!third.text.contains("noit# "))
            try await first.send("exit\n")
            try await first.waitForClose()
            try await eventually { server.server.sessionCount == 1 }
            let fourth = try await server.lineClient()
            try await fourth.waitFor("noit# ")
            await second.close()
            await fourth.close()
        }
    }

    @Test func threeHundredConcurrentSessions() async throws {
        try await ConsoleTestServer.with({ $0.maxSessions = 400 }) { server, _ in
            var clients: [LineClient] = []
            for _ in 0..<300 {
                let client = try await server.lineClient()
                clients.append(client)
            }
            for client in clients { try await client.waitFor("noit# ") }
            #expect(server.server.sessionCount == 300)
            for client in clients { try await client.send("show terminal\n") }
            var ids = Set<Substring>()
            for client in clients {
                let answer = try await client.waitFor("\r\nnoit# ")
                if let range = answer.range(of: "session ") {
                    ids.insert(answer[range.upperBound...].prefix { $0.isNumber })
                }
            }
            #expect(ids.count == 300)  // every session answered, each with its own id
            for client in clients { await client.close() }
            try await eventually { server.server.sessionCount == 0 }
        }
    }

    @Test func megabyteLineIsReportedOnce() async throws {
        try await ConsoleTestServer.with { server, _ in
            let client = try await server.lineClient()
            try await client.waitFor("noit# ")
            try await client.send(bytes: [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20) + Array("\nshow version\n".utf8))
            try await client.waitFor("% Line too long\r\n")
            try await client.waitFor("noitd test 0.1\r\nnoit# ")
            #expect(client.text.components(separatedBy: "Line too long").count == 2)
        }
    }

    @Test func megabyteLineInCharacterMode() async throws {
        try await ConsoleTestServer.with { server, _ in
            let client = try await server.lineClient()
            try await client.waitFor("noit# ")
            // Negotiate like telnet would, then paste a megabyte without a newline.
            try await client.send(bytes: [Telnet.iac, Telnet.do, Telnet.Option.echo])
            try await client.send(bytes: [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20))
            try await client.send("\u{15}show version\r")
            try await client.waitFor("noitd test 0.1\r\nnoit# ")
            // The echo stayed at the editor's cap.
            #expect(client.output.byteCount < 3 * LineEditor.maxLineBytes)
        }
    }

    @Test func binaryGarbageAndInvalidUTF8() async throws {
        try await ConsoleTestServer.with { server, _ in
            let client = try await server.lineClient()
            try await client.waitFor("noit# ")
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            var garbage: [UInt8] = []
            for _ in 0..<200_000 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let byte = UInt8(truncatingIfNeeded: state >> 33)
                garbage.append(byte == Telnet.iac ? 0xC3 : byte)  // IAC is the flood test's
            }
            garbage += [0xC3, 0x28, 0xE2, 0x82, 0xF0, 0x9F, 0x98]  // invalid UTF-8 at the end
            try await client.send(bytes: garbage)
            try await client.send("\nshow version\n")
            try await client.waitFor("noitd test 0.1\r\nnoit# ")
            #expect(server.server.sessionCount == 1)
        }
    }

    @Test func iacFloodIsAnsweredBoundedly() async throws {
        try await ConsoleTestServer.with { server, _ in
            let client = try await server.lineClient()
            try await client.waitFor("noit# ")
            var flood: [UInt8] = []
            for round in 0..<2000 {
                for option in UInt8(40)...UInt8(90) {
                    flood += [Telnet.iac, round % 2 == 0 ? Telnet.will : Telnet.do, option]
                }
                flood += [Telnet.iac, Telnet.nop, Telnet.iac, Telnet.sb, 24] + [UInt8](repeating: 1, count: 100) + [Telnet.iac, Telnet.se]
            }
            try await client.send(bytes: flood)
            try await client.send("show version\n")
            try await client.waitFor("noitd test 0.1\r\nnoit# ")
            // Each option refused once per direction, not once per request.
            #expect(client.output.byteCount < 4096)
        }
    }

    @Test func clientThatNeverReadsIsCutOff() async throws {
        // By the session's own clock, which only the test moves: the session cannot idle out
        // before the test has seen it, however slowly the machine runs.
        let clock = ManualClock()
        try await ConsoleTestServer.with(clock: clock, { $0.idleTimeout = .seconds(1) }) { server, _ in
            let client = try await server.lineClient(reading: false)
            try await client.send("show flood\n")
            try await eventually { server.server.sessionCount == 1 }
            // Ten megabytes cannot fit: the command blocks, which is not activity, so idle time
            // runs out, and the last message's grace with it (the client reads nothing).
            try await eventually {
                clock.advance(by: .seconds(1))
                return server.server.sessionCount == 0
            }
            await client.close()
        }
    }

    @Test func gracefulShutdownClosesSessions() async throws {
        try await ConsoleTestServer.with { server, group in
            let idle = try await server.lineClient()
            let busy = try await server.lineClient()
            try await idle.waitFor("noit# ")
            try await busy.waitFor("noit# ")
            try await busy.send("watch\n")
            try await busy.waitFor("tick 2\r\n")
            await group.triggerGracefulShutdown()
            try await idle.waitFor("% Node shutting down\r\n")
            try await busy.waitFor("% Node shutting down\r\n")
            try await idle.waitForClose()
            try await busy.waitForClose()
        }
    }

    @Test func cancellingRunClosesEverything() async throws {
        let logs = LogRecorder(label: "console")
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = ConsoleServer(
            configuration: ConsoleListenerConfiguration(port: 0), commands: DemoCommands(),
            eventLoopGroup: ConsoleTestServer.loops, logger: logs.logger,
            onListening: { continuation.yield($0.port ?? 0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let client = try await LineClient.connect(port: port)
            try await client.waitFor("noit# ")
            try await client.send("watch\n")
            try await client.waitFor("tick 1\r\n")
            group.cancelAll()
            try await client.waitForClose()
            // run() returns (or throws CancellationError) once its sessions are gone.
            while true {
                do {
                    guard try await group.next() != nil else { break }
                } catch is CancellationError {
                } catch let error as ChannelError where error == .ioOnClosedChannel || error == .alreadyClosed {
                }
            }
            #expect(server.sessionCount == 0)
        }
    }
}
