import NoitCore

extension ConfigResolver {
    /// Also fills `definedFiltersets`, with the names of flawed filtersets too, so a check
    /// naming one is not reported a second time.
    mutating func resolveFiltersets(in root: ConfigElement) -> [String: Filterset] {
        guard let container = uniqueChild(of: root, named: "filtersets") else { return [:] }
        var filtersets = [String: Filterset]()
        var lines = [String: Int]()
        for element in container.children {
            guard element.name == "filterset" else {
                report(element, "unexpected element inside <filtersets>; expected <filterset>")
                continue
            }
            let attributes = element.attributes
            reportUnknownAttributes(of: element, attributes, allowed: ["name"], context: "on <filterset>")
            guard let name = attributes.first(where: { $0.name == "name" })?.value, !name.isEmpty else {
                report(element, "missing name attribute")
                continue
            }
            if let first = lines[name] {
                report(element, "duplicate filterset '\(name)' (the first is at line \(first))")
                continue
            }
            lines[name] = element.line
            definedFiltersets.insert(name)
            var rules = [FiltersetRule]()
            var valid = true
            for ruleElement in element.children {
                if let rule = resolveRule(ruleElement) { rules.append(rule) } else { valid = false }
            }
            if valid { filtersets[name] = Filterset(name: name, rules: rules) }
        }
        return filtersets
    }

    private mutating func resolveRule(_ element: ConfigElement) -> FiltersetRule? {
        guard element.name == "rule" else {
            report(element, "unexpected element inside <filterset>; expected <rule>")
            return nil
        }
        let attributes = element.attributes
        reportUnknownAttributes(of: element, attributes, allowed: ["type", "module", "name", "metric"], context: "on <rule>")
        var valid = true
        var action: FiltersetRule.Action?
        var patterns = [String: String]()
        for attribute in attributes {
            switch attribute.name {
            case "type":
                action = FiltersetRule.Action(rawValue: attribute.value)
                if action == nil {
                    report(element, "type '\(attribute.value)' must be allow or deny")
                    valid = false
                }
            case "module", "name", "metric":
                if PatternCache.isValid(attribute.value) {
                    patterns[attribute.name] = attribute.value
                } else {
                    report(element, "\(attribute.name) pattern '\(attribute.value)' is not a valid regular expression")
                    valid = false
                }
            default:
                valid = false
            }
        }
        if !attributes.contains(where: { $0.name == "type" }) {
            report(element, "missing type attribute (allow or deny)")
        }
        guard valid, let action else { return nil }
        return FiltersetRule(action, module: patterns["module"], name: patterns["name"], metric: patterns["metric"])
    }
}
