/// Where an inheritable attribute of a check was found.
enum Inherited<Value> {
    /// Neither the check nor any ancestor sets it.
    case unset
    /// The nearest element that sets it sets an invalid value (already reported there).
    case invalid
    /// `level` 0 is the check itself, 1 its parent, and so on outwards.
    case value(Value, level: Int)

    var value: Value? {
        if case .value(let value, _) = self { value } else { nil }
    }

    var level: Int? {
        if case .value(_, let level) = self { level } else { nil }
    }
}
