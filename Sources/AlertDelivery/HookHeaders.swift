/// An ordered list of HTTP header fields. Order and duplicates are kept because that is what goes
/// on the wire; a plain `[(String, String)]` is neither `Equatable` nor nameable in an enum case.
public struct HookHeaders: Sendable, Equatable, Sequence, ExpressibleByArrayLiteral {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var fields: [Field]

    public init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { Field(name: $0.0, value: $0.1) }
    }

    public init(arrayLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The first value of `name`, compared case-insensitively as HTTP does.
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }

    /// Replaces every field called `name` (case-insensitively) by one field with `value`, at the
    /// position of the first; appends it when there was none.
    public mutating func set(_ name: String, _ value: String) {
        let lowered = name.lowercased()
        var result: [Field] = []
        var replaced = false
        for field in fields {
            if field.name.lowercased() != lowered {
                result.append(field)
            } else if !replaced {
                result.append(Field(name: name, value: value))
                replaced = true
            }
        }
        if !replaced { result.append(Field(name: name, value: value)) }
        fields = result
    }

    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }
}
