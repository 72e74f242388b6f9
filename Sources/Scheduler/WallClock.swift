#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NoitCore

/// The wall clock, injected so that anything time-based can be driven by a test.
public protocol WallClock: Sendable {
    /// Microseconds since the Unix epoch.
    func nowMicroseconds() -> Int64
}

extension WallClock {
    public func now() -> Timestamp { Timestamp(millisecondsSinceEpoch: nowMicroseconds() / 1000) }
}

/// `CLOCK_REALTIME`, the clock runs are aligned to.
public struct SystemWallClock: WallClock {
    public init() {}

    public func nowMicroseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}
