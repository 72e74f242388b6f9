import Foundation
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One ICMP socket of one address family, shared by every ping_icmp run on the node.
///
/// Runs register each echo request under (peer address, sequence number) before sending it;
/// a dedicated reader thread blocks on the socket, matches every echo reply to its request
/// (the payload's leading token must match too, so stale or foreign replies are ignored) and
/// timestamps it on arrival. A raw socket (root or CAP_NET_RAW) is preferred; otherwise an
/// unprivileged datagram ICMP socket, where the kernel picks the identifier and filters replies
/// by it, which is why the identifier is never part of the match.
final class PingEngine: Sendable {
    enum Kind: String, Hashable, Sendable {
        case raw, datagram
    }

    /// Neither kind of socket could be opened; the description says what to change.
    struct OpenFailure: Error, Hashable, Sendable, CustomStringConvertible {
        var family: PingICMPPacket.Family
        /// Each kind tried, with the reason it failed.
        var attempts: [String]

        var description: String {
            "cannot open ICMP\(family == .v6 ? "v6" : "") socket: run as root (or with CAP_NET_RAW) "
                + "or set sysctl net.ipv4.ping_group_range='0 2147483647' (\(attempts.joined(separator: "; ")))"
        }
    }

    private struct Pending {
        var token: [UInt8]
        var payloadLength: Int
        var session: PingSession
        var index: Int
    }

    private struct State {
        var pending: [PingProbeKey: Pending] = [:]
        var nextSequence: UInt16
        /// Set, under the lock, before the reader closes the descriptors.
        var closed = false
    }

    let family: PingICMPPacket.Family
    let kind: Kind
    /// The identifier written into requests; the kernel replaces it on datagram sockets.
    let identifier: UInt16
    private let socket: CInt
    private let wakeWrite: CInt
    private let wakeRead: CInt
    private let state: Mutex<State>

    private init(family: PingICMPPacket.Family, kind: Kind, socket: CInt, wakeRead: CInt, wakeWrite: CInt) {
        self.family = family
        self.kind = kind
        self.socket = socket
        self.wakeRead = wakeRead
        self.wakeWrite = wakeWrite
        self.identifier = UInt16.random(in: 1...UInt16.max)
        self.state = Mutex(State(nextSequence: UInt16.random(in: 0...UInt16.max)))
    }

    /// Opens a socket of the first kind that works and starts its reader thread.
    static func open(_ family: PingICMPPacket.Family, kinds: [Kind]) -> Result<PingEngine, OpenFailure> {
        var attempts = [String]()
        for kind in kinds {
            let domain = family == .v4 ? AF_INET : AF_INET6
            let type = (kind == .raw ? Int32(SOCK_RAW.rawValue) : Int32(SOCK_DGRAM.rawValue)) | Int32(SOCK_CLOEXEC.rawValue)
            let proto = family == .v4 ? Int32(IPPROTO_ICMP) : Int32(IPPROTO_ICMPV6)
            let descriptor = Glibc.socket(domain, type, proto)
            guard descriptor >= 0 else {
                attempts.append("\(kind.rawValue): \(String(cString: strerror(errno)))")
                continue
            }
            var wake: [CInt] = [-1, -1]
            guard pipe(&wake) == 0 else {
                attempts.append("\(kind.rawValue): \(String(cString: strerror(errno)))")
                Glibc.close(descriptor)
                continue
            }
            _ = fcntl(wake[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(wake[1], F_SETFD, FD_CLOEXEC)
            configure(descriptor, family: family, kind: kind)
            let engine = PingEngine(family: family, kind: kind, socket: descriptor, wakeRead: wake[0], wakeWrite: wake[1])
            let reader = Thread { engine.readReplies() }
            reader.name = "noit-ping-\(family == .v4 ? "v4" : "v6")-\(kind.rawValue)"
            reader.start()
            return .success(engine)
        }
        return .failure(OpenFailure(family: family, attempts: attempts))
    }

    /// Best effort: a larger receive buffer for bursts of replies, and on raw sockets a kernel
    /// filter so that the reader only wakes for echo replies.
    private static func configure(_ descriptor: CInt, family: PingICMPPacket.Family, kind: Kind) {
        var bufferSize: CInt = 1 << 20
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &bufferSize, socklen_t(MemoryLayout<CInt>.size))
        guard kind == .raw else { return }
        // ICMP_FILTER and ICMP6_FILTER are both option 1; a set bit blocks that ICMP type.
        if family == .v4 {
            var blocked: UInt32 = ~(UInt32(1) << UInt32(PingICMPPacket.Family.v4.echoReplyType))
            _ = setsockopt(descriptor, SOL_RAW, 1, &blocked, socklen_t(MemoryLayout<UInt32>.size))
        } else {
            var blocked = [UInt32](repeating: .max, count: 8)
            let reply = Int(PingICMPPacket.Family.v6.echoReplyType)
            blocked[reply >> 5] &= ~(UInt32(1) << UInt32(reply & 31))
            _ = blocked.withUnsafeMutableBytes { bytes in
                setsockopt(descriptor, Int32(IPPROTO_ICMPV6), 1, bytes.baseAddress, socklen_t(bytes.count))
            }
        }
    }

    /// Whether the socket is still open and read.
    var isUsable: Bool { state.withLock { !$0.closed } }

    /// Requests awaiting their reply, across all runs.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Reserves a sequence number for a request to `target` carrying `payload`; nil when none is
    /// free (65536 requests to the same address still outstanding) or the engine is closed.
    func register(session: PingSession, index: Int, target: PingTarget, payload: [UInt8]) -> UInt16? {
        state.withLock { state in
            guard !state.closed else { return nil }
            for _ in 0..<Int(UInt16.max) + 1 {
                let sequence = state.nextSequence
                state.nextSequence &+= 1
                let key = PingProbeKey(address: target.addressBytes, sequence: sequence)
                guard state.pending[key] == nil else { continue }
                state.pending[key] = Pending(
                    token: Array(payload.prefix(8)), payloadLength: payload.count, session: session, index: index)
                return sequence
            }
            return nil
        }
    }

    /// Forgets a request whose reply is no longer wanted.
    func unregister(sequence: UInt16, target: PingTarget) {
        _ = state.withLock { $0.pending.removeValue(forKey: PingProbeKey(address: target.addressBytes, sequence: sequence)) }
    }

    /// Sends without blocking; the errno text on failure.
    func send(_ packet: [UInt8], to target: PingTarget) -> String? {
        // Under the lock, so the descriptor cannot be closed (and its number reused) meanwhile.
        state.withLock { state -> String? in
            guard !state.closed else { return "ICMP socket closed" }
            let sent = target.address.withSockAddr { address, length in
                packet.withUnsafeBytes { bytes in
                    sendto(socket, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT), address, socklen_t(length))
                }
            }
            return sent == packet.count ? nil : String(cString: strerror(errno))
        }
    }

    /// Stops the reader, which closes the socket. Outstanding requests simply get no reply.
    func close() {
        state.withLock { state in
            guard !state.closed else { return }
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    /// The reader thread's loop: waits for the socket or the wake pipe, drains every datagram.
    private func readReplies() {
        var buffer = [UInt8](repeating: 0, count: 65_536 + 60)
        var descriptors = [
            pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
        ]
        reading: while true {
            descriptors[0].revents = 0
            descriptors[1].revents = 0
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if descriptors[1].revents != 0 || descriptors[0].revents & Int16(POLLNVAL) != 0 { break }
            while true {
                var source = sockaddr_storage()
                var sourceLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let count = buffer.withUnsafeMutableBytes { bytes in
                    withUnsafeMutablePointer(to: &source) { pointer in
                        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                            recvfrom(socket, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT), address, &sourceLength)
                        }
                    }
                }
                let arrival = ContinuousClock.now
                if count < 0 {
                    switch errno {
                    case EAGAIN, EWOULDBLOCK: continue reading
                    case EBADF, ENOTSOCK, EINVAL, EFAULT: break reading
                    // Anything else is a reported network error (an ICMP error for some send); keep reading.
                    default: continue
                    }
                }
                handle(Array(buffer[0..<count]), from: source, at: arrival)
            }
        }
        state.withLock { state in
            state.closed = true
            state.pending.removeAll()
            Glibc.close(socket)
            Glibc.close(wakeRead)
            Glibc.close(wakeWrite)
        }
    }

    private func handle(_ datagram: [UInt8], from source: sockaddr_storage, at arrival: ContinuousClock.Instant) {
        guard
            let reply = PingICMPPacket.parseEchoReply(
                datagram, family: family, includesIPHeader: family == .v4 && kind == .raw),
            kind == .datagram || reply.identifier == identifier,
            let address = PingEngine.addressBytes(of: source, family: family)
        else { return }
        let key = PingProbeKey(address: address, sequence: reply.sequence)
        let matched = state.withLock { state -> Pending? in
            guard let pending = state.pending[key], reply.payload.count == pending.payloadLength,
                reply.payload.starts(with: pending.token)
            else { return nil }
            state.pending[key] = nil
            return pending
        }
        if let matched { matched.session.markReplied(matched.index, at: arrival) }
    }

    private static func addressBytes(of storage: sockaddr_storage, family: PingICMPPacket.Family) -> [UInt8]? {
        let storedFamily = CInt(storage.ss_family)
        return withUnsafeBytes(of: storage) { raw -> [UInt8]? in
            switch (family, storedFamily) {
            case (.v4, AF_INET):
                let address = raw.load(as: sockaddr_in.self).sin_addr
                return withUnsafeBytes(of: address) { Array($0) }
            case (.v6, AF_INET6):
                let address = raw.load(as: sockaddr_in6.self).sin6_addr
                return withUnsafeBytes(of: address) { Array($0) }
            default:
                return nil
            }
        }
    }
}
