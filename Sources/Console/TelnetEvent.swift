/// What `TelnetParser.receive(_:)` found in a chunk of bytes from the client.
///
/// The I/O layer switches on these and does nothing else: `.data` goes to the
/// line editor, `.send` goes back on the wire verbatim.
public enum TelnetEvent: Sendable, Equatable {
    /// Application bytes with every telnet command removed and `IAC IAC` unescaped to 0xFF.
    /// `CR NUL` and `CR LF` are passed through untouched: the line editor owns end-of-line.
    case data([UInt8])
    /// Negotiation replies to write to the client, already encoded.
    case send([UInt8])
    /// Window size from a NAWS subnegotiation (RFC 1073). 0 means "unknown" per the RFC.
    case windowSize(width: Int, height: Int)
    /// `IAC IP` or `IAC BRK`: the user asked to interrupt (like Ctrl-C).
    case interrupt
    /// `IAC EC`: erase the character before the cursor.
    case eraseCharacter
    /// `IAC EL`: erase the current line.
    case eraseLine
}
