extension String {
    /// Trims spaces, tabs, CR and LF (HTTP's OWS plus stray line ends) without Foundation's
    /// Unicode-aware trimming.
    func trimmingASCIIWhitespace() -> String {
        // asciiValue, because "\r\n" is a single Character (whose asciiValue is LF).
        let isOWS: (Character) -> Bool = { [9, 10, 13, 32].contains($0.asciiValue ?? 0) }
        guard let start = firstIndex(where: { !isOWS($0) }), let end = lastIndex(where: { !isOWS($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
