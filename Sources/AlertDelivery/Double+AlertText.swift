extension Double {
    /// How a measurement is written where only text fits (environment variables, Alertmanager
    /// annotations): integral values without a trailing `.0`, and non-finite values the way
    /// Prometheus writes them.
    var alertText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self > 0 ? "+Inf" : "-Inf" }
        if self == rounded(), abs(self) < 1e15 { return String(Int64(self)) }
        return String(self)
    }
}
