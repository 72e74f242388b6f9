import Prometheus

extension NoitNode {
    /// Point-in-time values, set just before each scrape.
    func refreshGauges() async {
        let status = await status()
        let stats = journal.statistics()
        func gauge(_ name: String, _ help: String, _ value: Double) {
            metrics.makeGauge(name: name, help: help).set(value)
        }
        gauge("noit_checks", "Checks configured on this node", Double(status.checkCount))
        gauge("noit_uptime_seconds", "Seconds since the node started", Double(status.uptimeSeconds))
        gauge("noit_scheduler_lateness_p50_seconds", "Median start lateness since start", Double(status.latenessP50Microseconds) / 1e6)
        gauge("noit_scheduler_lateness_p99_seconds", "99th percentile start lateness since start", Double(status.latenessP99Microseconds) / 1e6)
        gauge("noit_scheduler_lateness_max_seconds", "Largest start lateness since start", Double(status.latenessMaxMicroseconds) / 1e6)
        gauge("noit_journal_bytes", "Bytes in journal segments on disk", Double(stats.totalBytes))
        gauge("noit_journal_segments", "Journal segment files on disk", Double(stats.segmentCount))
        gauge("noit_journal_last_sequence", "Sequence number of the newest journal record", Double(stats.lastSequence))
        gauge("noit_journal_dropped_records", "Records dropped by the journal disk cap before every subscriber read them", Double(stats.droppedRecords))
        for subscriber in journal.subscribers() {
            metrics.makeGauge(
                name: "noit_journal_subscriber_lag_records", labels: [("subscriber", subscriber.name)],
                help: "Records a subscriber has not yet acknowledged"
            ).set(Double(subscriber.lag))
        }
    }
}
