/// Why a feed connection is dropped. The message names what was wrong, for a log line that
/// also names the peer.
public struct FeedProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
