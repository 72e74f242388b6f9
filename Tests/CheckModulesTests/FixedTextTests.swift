import Foundation
import Testing

@testable import CheckModules

/// Status texts print timings without printf; they must read exactly as printf's did.
@Suite struct FixedTextTests {
    @Test(arguments: [0, 1, 3])
    func matchesPrintf(decimals: Int) {
        var state: UInt64 = 0x1234_5678_9ABC_DEF0
        var values: [Double] = [0, 0.5, 1, 0.0005, 0.0015, 0.0025, 9.9995, 99.95, 123.456, 2000, 1e9 + 0.25, 0.1, 0.7]
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Double(state >> 11) / Double(1 << 53) * [1, 10, 1000, 100_000][Int(state & 3)])
        }
        for value in values + values.map({ -$0 }) {
            #expect(value.fixedText(decimals: decimals) == String(format: "%.\(decimals)f", value), "\(value)")
        }
    }

    @Test func nonFiniteAndHugeFallBackToPrintf() {
        #expect(Double.infinity.fixedText(decimals: 3) == String(format: "%.3f", Double.infinity))
        #expect(Double.nan.fixedText(decimals: 1) == String(format: "%.1f", Double.nan))
        #expect(1e20.fixedText(decimals: 3) == String(format: "%.3f", 1e20))
    }
}
