import Foundation

/// The standard output of a Nagios plugin, split per the plugin development guidelines:
///
/// ```
/// STATUS TEXT | PERFDATA
/// LONG TEXT LINE 1
/// LONG TEXT LINE 2 | PERFDATA LINE 2
/// PERFDATA LINE 3
/// ```
///
/// The first line up to its first `|` is the status. Later lines are long text until one holds
/// a `|`; what follows that `|`, and every line after it, is performance data too.
struct ExternalPluginOutput: Hashable, Sendable {
    /// The first line before any `|`, without surrounding whitespace; empty when there was none.
    var status: String
    var longText: [String]
    var perfdata: ExternalPerfdataParser.Parsed

    init(_ text: String) {
        // Characters, not bytes: "\r\n" is one newline character, so CRLF output splits cleanly.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var perfText = [Substring]()
        var longText = [String]()
        var status = ""
        if let first = lines.first {
            if let bar = first.firstIndex(of: "|") {
                status = String(first[..<bar])
                perfText.append(first[first.index(after: bar)...])
            } else {
                status = String(first)
            }
        }
        var inPerfdata = false
        for line in lines.dropFirst() {
            if inPerfdata {
                perfText.append(line)
            } else if let bar = line.firstIndex(of: "|") {
                let text = line[..<bar]
                if !text.allSatisfy(\.isWhitespace) { longText.append(String(text)) }
                perfText.append(line[line.index(after: bar)...])
                inPerfdata = true
            } else {
                longText.append(String(line))
            }
        }
        self.status = status.trimmingCharacters(in: .whitespaces)
        self.longText = longText
        self.perfdata = ExternalPerfdataParser.parse(perfText.joined(separator: " "))
    }
}
