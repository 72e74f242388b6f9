extension SlotLoadMap {
    /// The console's `show timing_slots`: 60 rows (seconds), one character per slot:
    /// 0-9, then a-z, then `!` for 36 or more starts in that slot.
    public var timingSlotsText: String {
        let symbols = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var lines = [String]()
        lines.reserveCapacity(60)
        for second in 0..<60 {
            var line = String(format2(second)) + " "
            for slot in 0..<slotsPerSecond {
                let load = Int(slotLoad[second * slotsPerSecond + slot])
                line.append(load >= symbols.count ? "!" : symbols[max(0, load)])
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    private func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
