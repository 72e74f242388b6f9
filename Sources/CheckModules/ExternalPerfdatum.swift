/// One performance-data entry of a Nagios plugin, `'label'=value[UOM];warn;crit;min;max`,
/// as written: the value is kept as text so that integral counters never pass through a double.
struct ExternalPerfdatum: Hashable, Sendable {
    /// The label with quoting removed (`'it''s'` becomes `it's`); never empty.
    var label: String
    /// The number exactly as the plugin wrote it, with a decimal comma turned into a dot;
    /// nil for the value `U` (the plugin could not measure it).
    var number: String?
    /// The unit of measurement as written (`ms`, `KB`, `%`, `c`, ...); empty when there is none.
    var unit: String

    init(label: String, number: String?, unit: String = "") {
        self.label = label
        self.number = number
        self.unit = unit
    }
}
