/// Pure telnet state machine: bytes in, `TelnetEvent`s out. No I/O, no clocks.
///
/// Negotiation follows RFC 854's loop-avoidance rules, simplified for a server that wants
/// a fixed set of options:
/// - we offer ECHO and SUPPRESS-GO-AHEAD, and ask for SUPPRESS-GO-AHEAD and NAWS
///   (`startNegotiation()`);
/// - a reply that confirms a state already in effect, or answers one of our own
///   requests, is never answered (otherwise two polite peers loop forever);
/// - every other option is refused (`DO` → `WONT`, `WILL` → `DONT`) once; repeating the
///   same request while it stands refused is ignored, so a hostile client cannot make us
///   amplify a flood of requests into a flood of replies.
///
/// Commands may be split across `receive` calls at any byte boundary; all parse state
/// lives in this struct. Subnegotiations are capped at `maxSubnegotiationLength` bytes;
/// a longer one is discarded (memory never grows with a hostile client's input).
///
/// End of line: `CR NUL` and `CR LF` are both passed as `.data` unchanged; `LineEditor`
/// treats either pair (and lone CR or LF) as one Enter.
public struct TelnetParser: Sendable {
    /// Longest subnegotiation payload kept; NAWS needs 4 bytes (up to 8 escaped).
    public static let maxSubnegotiationLength = 64

    private enum State: Sendable {
        case data
        case iac
        /// Saw `IAC WILL|WONT|DO|DONT`, waiting for the option byte.
        case negotiation(verb: UInt8)
        /// Saw `IAC SB`, waiting for the option byte.
        case subnegotiationOption
        case subnegotiation(option: UInt8)
        case subnegotiationIAC(option: UInt8)
    }

    /// Per-option state, indexed by option code.
    private struct OptionState: Sendable {
        var enabled = false
        /// We sent a request and are waiting for the answer: the answer is not re-answered.
        var pending = false
        /// We refused this; a repeated identical request is not answered again.
        var refused = false
    }

    private var state: State = .data
    /// Options we perform (answered with DO/DONT by the client).
    private var local = [OptionState](repeating: OptionState(), count: 256)
    /// Options the client performs (answered with WILL/WONT by the client).
    private var remote = [OptionState](repeating: OptionState(), count: 256)
    private var subnegotiation: [UInt8] = []
    private var subnegotiationOverflow = false

    /// True once the client sent any telnet command (anything after IAC but a second IAC).
    /// A client that never does is a plain socket (`nc`, a script): run the editor in line mode.
    public private(set) var clientNegotiated = false

    /// Options we offer to perform.
    private static let supportedLocal: Set<UInt8> = [Telnet.Option.echo, Telnet.Option.suppressGoAhead]
    /// Options we accept the client performing.
    private static let supportedRemote: Set<UInt8> = [Telnet.Option.suppressGoAhead, Telnet.Option.naws]

    public init() {}

    /// Whether we currently perform `option` (e.g. ECHO was accepted by the client).
    public func isLocallyEnabled(_ option: UInt8) -> Bool { local[Int(option)].enabled }

    /// Whether the client currently performs `option` (e.g. NAWS).
    public func isRemotelyEnabled(_ option: UInt8) -> Bool { remote[Int(option)].enabled }

    /// The opening offer: `IAC WILL ECHO`, `IAC WILL SGA`, `IAC DO SGA`, `IAC DO NAWS`.
    /// Marks each as pending so the client's confirmations are not answered again.
    public mutating func startNegotiation() -> [UInt8] {
        local[Int(Telnet.Option.echo)].pending = true
        local[Int(Telnet.Option.suppressGoAhead)].pending = true
        remote[Int(Telnet.Option.suppressGoAhead)].pending = true
        remote[Int(Telnet.Option.naws)].pending = true
        return [
            Telnet.iac, Telnet.will, Telnet.Option.echo,
            Telnet.iac, Telnet.will, Telnet.Option.suppressGoAhead,
            Telnet.iac, Telnet.do, Telnet.Option.suppressGoAhead,
            Telnet.iac, Telnet.do, Telnet.Option.naws,
        ]
    }

    /// Feed raw bytes from the socket. Adjacent data and adjacent replies are coalesced,
    /// so the number of events is bounded by the number of commands, not bytes.
    public mutating func receive(_ bytes: some Collection<UInt8>) -> [TelnetEvent] {
        var output = TelnetEventBuffer()
        for byte in bytes {
            step(byte, into: &output)
        }
        return output.finish()
    }

    private mutating func step(_ byte: UInt8, into output: inout TelnetEventBuffer) {
        switch state {
        case .data:
            if byte == Telnet.iac {
                state = .iac
            } else {
                output.data(byte)
            }
        case .iac:
            command(byte, into: &output)
        case .negotiation(let verb):
            state = .data
            negotiate(verb: verb, option: byte, into: &output)
        case .subnegotiationOption:
            subnegotiation.removeAll(keepingCapacity: true)
            subnegotiationOverflow = false
            state = .subnegotiation(option: byte)
        case .subnegotiation(let option):
            if byte == Telnet.iac {
                state = .subnegotiationIAC(option: option)
            } else {
                appendSubnegotiation(byte)
            }
        case .subnegotiationIAC(let option):
            switch byte {
            case Telnet.iac:
                appendSubnegotiation(Telnet.iac)
                state = .subnegotiation(option: option)
            case Telnet.se:
                state = .data
                finishSubnegotiation(option: option, into: &output)
            default:
                // RFC 854 leaves `IAC <cmd>` inside SB undefined. Treat it as an aborted
                // subnegotiation followed by that command, so a lost SE cannot swallow
                // the rest of the session.
                subnegotiation.removeAll(keepingCapacity: true)
                command(byte, into: &output)
            }
        }
    }

    private mutating func command(_ byte: UInt8, into output: inout TelnetEventBuffer) {
        if byte == Telnet.iac {
            output.data(Telnet.iac)
            state = .data
            return
        }
        clientNegotiated = true
        state = .data
        switch byte {
        case Telnet.will, Telnet.wont, Telnet.do, Telnet.dont:
            state = .negotiation(verb: byte)
        case Telnet.sb:
            state = .subnegotiationOption
        case Telnet.ip, Telnet.brk:
            output.event(.interrupt)
        case Telnet.ec:
            output.event(.eraseCharacter)
        case Telnet.el:
            output.event(.eraseLine)
        default:
            // NOP, GA, DM, AO, AYT, SE outside SB, unknown: nothing for a console to do.
            break
        }
    }

    private mutating func appendSubnegotiation(_ byte: UInt8) {
        guard !subnegotiationOverflow else { return }
        if subnegotiation.count >= Self.maxSubnegotiationLength {
            subnegotiationOverflow = true
            subnegotiation.removeAll()
        } else {
            subnegotiation.append(byte)
        }
    }

    private mutating func finishSubnegotiation(option: UInt8, into output: inout TelnetEventBuffer) {
        defer {
            subnegotiation.removeAll(keepingCapacity: true)
            subnegotiationOverflow = false
        }
        guard !subnegotiationOverflow else { return }
        if option == Telnet.Option.naws, subnegotiation.count == 4 {
            let s = subnegotiation
            let width = Int(s[0]) << 8 | Int(s[1])
            let height = Int(s[2]) << 8 | Int(s[3])
            output.event(.windowSize(width: width, height: height))
        }
    }

    private mutating func negotiate(verb: UInt8, option: UInt8, into output: inout TelnetEventBuffer) {
        let index = Int(option)
        switch verb {
        case Telnet.will:
            var s = remote[index]
            defer { remote[index] = s }
            if s.enabled { s.pending = false; return }  // confirmation of what is in effect
            if Self.supportedRemote.contains(option) {
                s.enabled = true
                if !s.pending { output.send([Telnet.iac, Telnet.do, option]) }
                s.pending = false
            } else if !s.refused {
                s.refused = true
                output.send([Telnet.iac, Telnet.dont, option])
            }
        case Telnet.wont:
            var s = remote[index]
            defer { remote[index] = s }
            s.refused = false  // the client gave up; a later WILL is a new request
            if s.enabled {
                s.enabled = false
                if !s.pending { output.send([Telnet.iac, Telnet.dont, option]) }
            }
            s.pending = false
        case Telnet.do:
            var s = local[index]
            defer { local[index] = s }
            if s.enabled { s.pending = false; return }
            if Self.supportedLocal.contains(option) {
                s.enabled = true
                if !s.pending { output.send([Telnet.iac, Telnet.will, option]) }
                s.pending = false
            } else if !s.refused {
                s.refused = true
                output.send([Telnet.iac, Telnet.wont, option])
            }
        case Telnet.dont:
            var s = local[index]
            defer { local[index] = s }
            s.refused = false
            if s.enabled {
                s.enabled = false
                if !s.pending { output.send([Telnet.iac, Telnet.wont, option]) }
            }
            s.pending = false
        default:
            break
        }
    }
}
