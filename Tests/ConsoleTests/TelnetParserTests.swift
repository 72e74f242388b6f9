import Testing

@testable import Console

private let IAC = Telnet.iac
private let WILL = Telnet.will
private let WONT = Telnet.wont
private let DO = Telnet.do
private let DONT = Telnet.dont
private let SB = Telnet.sb
private let SE = Telnet.se
private let ECHO = Telnet.Option.echo
private let SGA = Telnet.Option.suppressGoAhead
private let NAWS = Telnet.Option.naws

/// Flattens events so chunked and unchunked runs compare equal (coalescing depends on chunking).
private struct Flattened: Equatable {
    var data: [UInt8] = []
    var sent: [UInt8] = []
    var others: [TelnetEvent] = []

    mutating func add(_ events: [TelnetEvent]) {
        for event in events {
            switch event {
            case .data(let bytes): data += bytes
            case .send(let bytes): sent += bytes
            default: others.append(event)
            }
        }
    }
}

private func run(_ bytes: [UInt8], chunks: [Int] = [], negotiate: Bool = true) -> (Flattened, TelnetParser) {
    var parser = TelnetParser()
    if negotiate { _ = parser.startNegotiation() }
    var result = Flattened()
    var start = 0
    for cut in chunks + [bytes.count] where cut >= start {
        result.add(parser.receive(bytes[start..<cut]))
        start = cut
    }
    return (result, parser)
}

@Suite struct TelnetParserTests {
    @Test func startNegotiationBytesAreExact() {
        var parser = TelnetParser()
        #expect(parser.startNegotiation() == [
            IAC, WILL, ECHO, IAC, WILL, SGA, IAC, DO, SGA, IAC, DO, NAWS,
        ])
        #expect(parser.clientNegotiated == false)
    }

    @Test func confirmationsOfOurRequestsAreNotAnswered() {
        let (out, parser) = run([IAC, DO, ECHO, IAC, DO, SGA, IAC, WILL, SGA, IAC, WILL, NAWS])
        #expect(out.sent.isEmpty)
        #expect(parser.isLocallyEnabled(ECHO))
        #expect(parser.isLocallyEnabled(SGA))
        #expect(parser.isRemotelyEnabled(SGA))
        #expect(parser.isRemotelyEnabled(NAWS))
        #expect(parser.clientNegotiated)
        // Repeating a confirmation of a state in effect must not start a loop.
        var again = parser
        #expect(again.receive([IAC, DO, ECHO, IAC, WILL, NAWS]).isEmpty)
    }

    @Test func refusalOfOurRequestIsNotAnswered() {
        let (out, parser) = run([IAC, DONT, ECHO, IAC, WONT, NAWS])
        #expect(out.sent.isEmpty)
        #expect(!parser.isLocallyEnabled(ECHO))
        #expect(!parser.isRemotelyEnabled(NAWS))
    }

    @Test func unsolicitedSupportedOptionIsAcceptedOnce() {
        var parser = TelnetParser()
        #expect(parser.receive([IAC, WILL, NAWS]) == [.send([IAC, DO, NAWS])])
        #expect(parser.receive([IAC, WILL, NAWS]) == [])
        #expect(parser.receive([IAC, WONT, NAWS]) == [.send([IAC, DONT, NAWS])])
        #expect(parser.receive([IAC, WONT, NAWS]) == [])
        #expect(parser.receive([IAC, DO, ECHO]) == [.send([IAC, WILL, ECHO])])
        #expect(parser.receive([IAC, DONT, ECHO]) == [.send([IAC, WONT, ECHO])])
    }

    @Test func everyOtherOptionIsRefusedExactlyOnce() {
        for option in UInt8.min...UInt8.max where ![ECHO, SGA, NAWS].contains(option) {
            var parser = TelnetParser()
            _ = parser.startNegotiation()
            #expect(parser.receive([IAC, DO, option]) == [.send([IAC, WONT, option])])
            #expect(parser.receive([IAC, DO, option]) == [])
            #expect(parser.receive([IAC, WILL, option]) == [.send([IAC, DONT, option])])
            #expect(parser.receive([IAC, WILL, option]) == [])
            // Their acknowledgement of our refusal needs no answer either.
            #expect(parser.receive([IAC, WONT, option, IAC, DONT, option]) == [])
            #expect(!parser.isLocallyEnabled(option) && !parser.isRemotelyEnabled(option))
        }
    }

    @Test func iacIacIsUnescapedData() {
        var parser = TelnetParser()
        #expect(parser.receive([0x41, IAC, IAC, 0x42]) == [.data([0x41, 0xFF, 0x42])])
        #expect(parser.clientNegotiated == false)
    }

    @Test func commandsAreStrippedFromData() {
        var parser = TelnetParser()
        let events = parser.receive([0x61, IAC, Telnet.nop, 0x62, IAC, Telnet.ga, 0x63, IAC, Telnet.ip, 0x64, IAC, Telnet.el, IAC, Telnet.ec])
        #expect(events == [.data([0x61, 0x62, 0x63]), .interrupt, .data([0x64]), .eraseLine, .eraseCharacter])
    }

    @Test func endOfLinePairsPassThroughAsData() {
        var parser = TelnetParser()
        #expect(parser.receive([0x61, 0x0D, 0x00, 0x62, 0x0D, 0x0A]) == [.data([0x61, 0x0D, 0x00, 0x62, 0x0D, 0x0A])])
    }

    @Test func nawsIsParsed() {
        var parser = TelnetParser()
        #expect(parser.receive([IAC, SB, NAWS, 0, 80, 0, 24, IAC, SE]) == [.windowSize(width: 80, height: 24)])
        // Width 255 must be sent as IAC IAC inside the subnegotiation.
        #expect(parser.receive([IAC, SB, NAWS, 0, IAC, IAC, 1, 0, IAC, SE]) == [.windowSize(width: 255, height: 256)])
        #expect(parser.receive([IAC, SB, NAWS, IAC, IAC, IAC, IAC, IAC, IAC, IAC, IAC, IAC, SE])
            == [.windowSize(width: 65535, height: 65535)])
        // Wrong length: ignored.
        #expect(parser.receive([IAC, SB, NAWS, 0, 80, 0, IAC, SE, 0x7A]) == [.data([0x7A])])
    }

    @Test func oversizeSubnegotiationIsDiscarded() {
        var parser = TelnetParser()
        let long = [IAC, SB, NAWS] + [UInt8](repeating: 1, count: 10_000) + [IAC, SE]
        #expect(parser.receive(long + [0x78]) == [.data([0x78])])
        // And the parser is healthy afterwards.
        #expect(parser.receive([IAC, SB, NAWS, 0, 100, 0, 50, IAC, SE]) == [.windowSize(width: 100, height: 50)])
        // 64 bytes exactly is kept (but is not a valid NAWS); 65 is discarded: neither crashes.
        #expect(parser.receive([IAC, SB, 99] + [UInt8](repeating: 1, count: 65) + [IAC, SE]) == [])
    }

    @Test func commandInsideSubnegotiationAbortsIt() {
        var parser = TelnetParser()
        #expect(parser.receive([IAC, SB, NAWS, 0, 80, IAC, DO, 200, 0x41]) == [.send([IAC, WONT, 200]), .data([0x41])])
    }

    @Test func splitAtEveryByteBoundaryGivesSameResult() {
        let stream: [UInt8] =
            [0x68, 0x69, IAC, DO, ECHO, IAC, WILL, 24, 0x20, IAC, IAC, IAC, SB, NAWS, 0, IAC, IAC, 0, 30, IAC, SE]
            + [0x0D, 0x00, IAC, DO, 5, 0x6C, IAC, Telnet.ip, 0x0D, 0x0A, IAC, WILL, NAWS, IAC, WONT, SGA]
        let (whole, _) = run(stream)
        #expect(whole.data == [0x68, 0x69, 0x20, 0xFF, 0x0D, 0x00, 0x6C, 0x0D, 0x0A])
        #expect(whole.sent == [IAC, DONT, 24, IAC, WONT, 5])
        #expect(whole.others == [.windowSize(width: 255, height: 30), .interrupt])
        for cut in 0...stream.count {
            #expect(run(stream, chunks: [cut]).0 == whole, "single split at \(cut)")
        }
        for first in 0...stream.count {
            for second in first...stream.count {
                #expect(run(stream, chunks: [first, second]).0 == whole)
            }
        }
        // One byte at a time.
        #expect(run(stream, chunks: Array(0...stream.count)).0 == whole)
    }

    @Test func iacFloodStaysBounded() {
        // Every flavour of flood, 100,000 bytes each.
        let floods: [[UInt8]] = [
            [UInt8](repeating: IAC, count: 100_000),
            Array(repeating: [IAC, WILL, 77], count: 33_334).flatMap { $0 },
            Array(repeating: [IAC, DO, 77, IAC, DONT, 77], count: 16_667).flatMap { $0 },
            [IAC, SB, NAWS] + [UInt8](repeating: IAC, count: 100_000),
            Array(repeating: [IAC, Telnet.nop], count: 50_000).flatMap { $0 },
        ]
        for flood in floods {
            var parser = TelnetParser()
            var events: [TelnetEvent] = []
            for start in stride(from: 0, to: flood.count, by: 4096) {
                events += parser.receive(flood[start..<min(start + 4096, flood.count)])
            }
            var sent = 0
            var data = 0
            for event in events {
                if case .send(let b) = event { sent += b.count }
                if case .data(let b) = event { data += b.count }
            }
            #expect(sent <= flood.count)
            #expect(data <= flood.count)
            #expect(events.count <= 2 * (flood.count / 4096 + 1))
            // Still parses normally afterwards (after closing any open subnegotiation).
            _ = parser.receive([IAC, SE])
            #expect(parser.receive([0x6F, 0x6B]).contains(.data([0x6F, 0x6B])))
        }
        var parser = TelnetParser()
        let iacs = parser.receive([UInt8](repeating: IAC, count: 100_000))
        #expect(iacs == [.data([UInt8](repeating: 0xFF, count: 50_000))])
        var refuser = TelnetParser()
        let wills = refuser.receive(Array(repeating: [IAC, WILL, 77], count: 33_334).flatMap { $0 })
        #expect(wills == [.send([IAC, DONT, 77])])
    }

    @Test func plainClientIsDetected() {
        var parser = TelnetParser()
        _ = parser.startNegotiation()
        _ = parser.receive(Array("show version\n".utf8))
        #expect(!parser.clientNegotiated)
        _ = parser.receive([IAC])
        #expect(!parser.clientNegotiated)  // Could still be IAC IAC.
        _ = parser.receive([Telnet.nop])
        #expect(parser.clientNegotiated)
    }
}
