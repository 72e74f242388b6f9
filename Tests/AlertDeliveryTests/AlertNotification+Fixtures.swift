import AlertDelivery

extension AlertNotification {
    /// 2024-05-01T12:34:56.789Z
    static let sampleOpenedAtMs: Int64 = 1_714_566_896_789
    /// Five minutes later.
    static let sampleResolvedAtMs: Int64 = 1_714_567_196_789

    static func sample(action: AlertAction = .trigger, dedupKey: String = "rule-disk/0b7c3f4e-check/df`used_percent") -> AlertNotification {
        AlertNotification(
            dedupKey: dedupKey,
            action: action,
            rule: "disk-almost-full",
            severity: .critical,
            summary: "Disk / on db1 is 97.5% full",
            checkUUID: "0b7c3f4e-6a8b-4d47-9a35-6c1c4bd2b9a1",
            checkName: "db1 disk",
            target: "10.1.2.3",
            module: "snmp",
            metric: "df`used_percent",
            value: 97.5,
            openedAtMs: sampleOpenedAtMs,
            resolvedAtMs: action == .resolve ? sampleResolvedAtMs : nil,
            source: "noit-1.example.net",
            link: "https://stratcon.example.net/checks/0b7c3f4e?tab=graphs",
            details: ["kind": "threshold", "band": "95..100", "module": "shadowed-by-core-field"]
        )
    }
}
