import Console
import NIOCore

extension ConsoleSession {
    /// After a close, how long queued output may take to reach a client before the
    /// connection is cut anyway (a client that does not read would otherwise hold it open).
    static var flushGrace: Duration { .seconds(2) }

    /// Serves one connection until it closes. Structured: the writer runs here, and the
    /// reader, the command runner, the idle watchdog and the close deadline are child tasks;
    /// when the writer has sent the last byte the channel is closed and the rest cancelled.
    func serve(_ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let underlying = channel.channel
        do {
            try await channel.executeThenClose { inbound, outbound in
                await withTaskGroup(of: Void.self) { group in
                    let followUps = core.withLock { $0.apply($0.machine.start(banner: configuration.banner)) }
                    group.addTask { await self.runReader(inbound, channel: underlying) }
                    group.addTask { await self.runCommands() }
                    group.addTask { await self.runIdleWatchdog() }
                    group.addTask { await self.runCloseDeadline(channel: underlying) }
                    await follow(followUps)
                    await runWriter(outbound)
                    underlying.close(promise: nil)
                    group.cancelAll()
                }
            }
        } catch {
            logger.debug("console connection ended with an error", metadata: ["error": "\(error)"])
        }
        if core.withLock({ $0.loggedIn }) {
            logger.info("console logout")
        }
    }

    // MARK: Tasks

    private func runReader(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, channel: any Channel) async {
        do {
            for try await buffer in inbound {
                let followUps = core.withLock { core in
                    core.idle.input(at: clock.now)
                    return core.apply(core.machine.receive(buffer.readableBytesView))
                }
                await follow(followUps)
                // Backpressure: stop reading while input or output piles up.
                await inputSpace()
                _ = await outboxSpace()
            }
        } catch {
            // Reset by the peer, or cancelled: the session is over either way.
        }
        if channel.isActive {
            // Half-closed (`printf 'show version\n' | nc -N`): run what was sent, then close.
            let followUps = core.withLock { $0.apply($0.machine.endOfInput()) }
            await follow(followUps)
        } else {
            core.withLock { $0.closeNow() }
        }
    }

    private func runCommands() async {
        for await job in jobs {
            core.withLock { $0.commandStarted() }
            await job.command.run(self, job.arguments)
            let logout = core.withLock { core in
                core.commandEnded()
                return core.logoutRequested
            }
            if logout {
                core.withLock { _ = $0.apply($0.machine.close(message: nil)) }
            } else {
                await follow([.refreshPrompt(returnToExec: false)])
            }
        }
    }

    private func runWriter(_ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async {
        while let chunk = await nextChunk() {
            do {
                try await outbound.write(ByteBuffer(bytes: chunk))
            } catch {
                core.withLock { $0.closeNow() }
                return
            }
            core.withLock { $0.idle.wrote(at: clock.now) }
        }
    }

    private func runIdleWatchdog() async {
        while !Task.isCancelled {
            let deadline: ContinuousClock.Instant? = core.withLock { core in
                guard !core.closing else { return nil }
                switch core.idle.check(at: clock.now) {
                case .expired:
                    _ = core.apply(core.machine.close(message: "% Idle timeout"))
                    return nil
                case .checkAgain(let deadline):
                    return deadline
                }
            }
            guard let deadline else { return }
            try? await clock.sleep(until: deadline, tolerance: nil)
        }
    }

    private func runCloseDeadline(channel: any Channel) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let immediate = core.withLock { $0.closed(orWait: continuation) }
                if case .now = immediate { continuation.resume() }
            }
        } onCancel: {
            core.withLock { $0.closeNow() }
        }
        guard (try? await clock.sleep(for: Self.flushGrace)) != nil else { return }
        channel.close(promise: nil)
    }

    // MARK: Follow-ups

    /// Does what the machine asked for outside the lock, feeding each answer back in.
    func follow(_ followUps: [ConsoleFollowUp]) async {
        var queue = followUps
        while !queue.isEmpty {
            switch queue.removeFirst() {
            case .refreshPrompt(let returnToExec):
                if returnToExec { mode = .exec }
                let prompt = source.prompt(for: self)
                let tree = source.commands(for: self)
                queue += core.withLock { $0.apply($0.machine.ready(prompt: prompt, tree: tree)) }
            case .verifyPassword(let password):
                let ok = configuration.passwordHash.map { ConsolePassword.verify(password, against: $0) } ?? true
                if !ok { logger.notice("console login failed") }
                queue += core.withLock { $0.apply($0.machine.passwordChecked(ok)) }
            case .loggedIn:
                logger.info("console login")
            }
        }
    }

    // MARK: Waiting

    private func nextChunk() async -> [UInt8]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
                let immediate = core.withLock { $0.nextChunk(orWait: continuation) }
                if case .now(let chunk) = immediate { continuation.resume(returning: chunk) }
            }
        } onCancel: {
            core.withLock { $0.closeNow() }
        }
    }

    private func inputSpace() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let immediate = core.withLock { $0.inputSpace(orWait: continuation) }
            if case .now = immediate { continuation.resume() }
        }
    }
}
