extension String {
    /// The longest prefix, ending on a `Character` boundary, whose UTF-16 length (plus the
    /// marker's) is at most `maxUTF16`; the marker is appended only when something was cut.
    ///
    /// UTF-16 length is the strictest of the usual "character" counts (it is ≥ the number of
    /// Unicode scalars and of grapheme clusters), so whatever a receiver counts, the text fits.
    func truncated(toUTF16Length maxUTF16: Int, marker: String = "…") -> String {
        if utf16.count <= maxUTF16 { return self }
        let budget = maxUTF16 - marker.utf16.count
        guard budget > 0 else { return "" }
        var used = 0
        var end = startIndex
        for index in indices {
            let length = self[index].utf16.count
            if used + length > budget { break }
            used += length
            end = self.index(after: index)
        }
        return String(self[..<end]) + marker
    }

    /// The longest prefix, ending on a `Character` boundary, of at most `maxBytes` UTF-8 bytes.
    func prefix(utf8Bytes maxBytes: Int) -> String {
        if utf8.count <= maxBytes { return self }
        var used = 0
        var end = startIndex
        for index in indices {
            let length = self[index].utf8.count
            if used + length > maxBytes { break }
            used += length
            end = self.index(after: index)
        }
        return String(self[..<end])
    }
}
