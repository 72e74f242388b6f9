import NoitCore

/// A seeded generator (NoitCore's SplitMix64), so that a fuzz failure reproduces.
struct DNSFuzzGenerator: RandomNumberGenerator {
    private var base: SplitMix64

    init(seed: UInt64) { base = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { base.next() }

    /// A value in 0..<upperBound; 0 when upperBound is 0.
    mutating func next(upperBound: Int) -> Int {
        upperBound <= 0 ? 0 : Int(next() % UInt64(upperBound))
    }
}
