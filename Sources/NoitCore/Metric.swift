/// A named, typed measurement produced by one run of a check.
public struct Metric: Hashable, Sendable {
    public var name: String
    public var value: MetricValue

    public init(_ name: String, _ value: MetricValue) {
        self.name = name
        self.value = value
    }

    public var type: MetricType { value.type }
}
