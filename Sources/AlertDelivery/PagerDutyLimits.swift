/// Field limits of the PagerDuty Events API v2, applied deterministically so that a trigger and
/// its resolve always produce the same dedup key.
public enum PagerDutyLimits {
    public static let maximumDedupKeyLength = 255
    public static let maximumSummaryLength = 1_024

    /// The key unchanged when it fits in 255 UTF-8 bytes (bytes are the strictest count, so it
    /// fits however PagerDuty counts); otherwise a readable prefix, `~`, and the SHA-256 of the
    /// whole key in hex, so different long keys with a common prefix stay distinct.
    public static func dedupKey(_ key: String) -> String {
        if key.utf8.count <= maximumDedupKeyLength { return key }
        let digest = SHA256.hexDigest(Array(key.utf8))
        let prefixBudget = maximumDedupKeyLength - 1 - digest.utf8.count
        return key.prefix(utf8Bytes: prefixBudget) + "~" + digest
    }

    /// The summary cut on a `Character` boundary to at most 1024 UTF-16 code units, ending in `…` when cut.
    public static func summary(_ summary: String) -> String {
        summary.truncated(toUTF16Length: maximumSummaryLength)
    }
}
