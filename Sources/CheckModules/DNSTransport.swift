import Logging
import NIOCore
import NIOPosix

/// Asks a server one question over UDP, retrying over TCP when the answer comes back
/// truncated. Each exchange uses a fresh socket and a fresh random query id.
struct DNSTransport: Sendable {
    let group: any EventLoopGroup
    let logger: Logger

    /// Runs the lookup; returns `.cancelled` promptly once `cancellation` fires, with the
    /// sockets closed. `connectTimeout` bounds the TCP connect on its own.
    func lookup(
        _ question: DNSQuestion, server: SocketAddress, connectTimeout: TimeAmount, cancellation: DNSCancellation
    ) async -> DNSLookup {
        let clock = ContinuousClock()
        let start = clock.now
        let udp = await exchangeOverUDP(DNSQuery(question: question), server: server, cancellation: cancellation)
        guard case .reply(let message) = udp, message.header.isTruncated else {
            return DNSLookup(outcome: udp, usedTCP: false, roundTripMilliseconds: (clock.now - start).milliseconds)
        }
        let tcp = await exchangeOverTCP(
            DNSQuery(question: question), server: server, connectTimeout: connectTimeout, cancellation: cancellation)
        return DNSLookup(outcome: tcp, usedTCP: true, roundTripMilliseconds: (clock.now - start).milliseconds)
    }

    func exchangeOverUDP(_ query: DNSQuery, server: SocketAddress, cancellation: DNSCancellation) async -> DNSExchangeOutcome {
        let slot = DNSReplySlot()
        cancellation.begin(slot)
        let logger = self.logger
        // A connected socket only hears from the server, and hears ICMP port unreachable.
        // Room for the largest datagram, so an oversized answer arrives whole and parses (or
        // fails to) instead of being cut by the kernel.
        DatagramBootstrap(group: group)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DNSDatagramHandler(query: query, slot: slot, logger: logger))
                }
            }
            .connect(to: server)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    guard slot.attach(channel) else {
                        channel.close(promise: nil)
                        return
                    }
                    channel.writeAndFlush(ByteBuffer(bytes: query.bytes)).whenFailure { error in
                        slot.complete(.failed("cannot send query: \(error)"))
                    }
                case .failure(let error):
                    slot.complete(.failed("cannot open UDP socket: \(error)"))
                }
            }
        return await slot.outcome()
    }

    func exchangeOverTCP(
        _ query: DNSQuery, server: SocketAddress, connectTimeout: TimeAmount, cancellation: DNSCancellation
    ) async -> DNSExchangeOutcome {
        let slot = DNSReplySlot()
        cancellation.begin(slot)
        ClientBootstrap(group: group)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DNSStreamHandler(query: query, slot: slot))
                }
            }
            .connect(to: server)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    guard slot.attach(channel) else {
                        channel.close(promise: nil)
                        return
                    }
                    var framed = ByteBuffer()
                    framed.writeInteger(UInt16(query.bytes.count))
                    framed.writeBytes(query.bytes)
                    channel.writeAndFlush(framed).whenFailure { error in
                        slot.complete(.failed("cannot send query over TCP: \(error)"))
                    }
                case .failure(let error):
                    slot.complete(.failed("TCP " + TCPModule.describe(connectError: error)))
                }
            }
        return await slot.outcome()
    }
}
