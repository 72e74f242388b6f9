import Foundation
import NoitCore

extension ConfigResolver {
    static let checkAttributes = ["uuid", "module", "target", "name", "period", "timeout", "disable", "filterset", "seq"]
    /// The period of a check nothing gives one to.
    static let defaultPeriodMilliseconds: Int64 = 60_000
    /// A check nothing gives a timeout gets half its period, but never more than this.
    static let maximumDefaultTimeoutMilliseconds: Int64 = 10_000
    static let booleans: [String: Bool] = [
        "true": true, "on": true, "yes": true, "1": true,
        "false": false, "off": false, "no": false, "0": false,
    ]

    mutating func resolveChecks(in root: ConfigElement) -> [ConfiguredCheck] {
        let containers = root.children.filter { $0.name == "checks" }
        for (container, path) in zip(containers, Self.paths(of: containers, under: "/" + root.name)) {
            validateGroup(container, path: path)
        }
        var checks = [ConfiguredCheck]()
        var uuidLines = [UUID: Int]()
        var nameLines = [String: Int]()
        for element in document.elements(matching: "/noit/checks//check") {
            if let check = resolveCheck(element, root: root, uuidLines: &uuidLines, nameLines: &nameLines) {
                checks.append(check)
            }
        }
        return checks
    }

    /// Paths as `xmlGetNodePath` writes them (an index only among same-named siblings), built
    /// top-down in one pass because asking libxml2 per element rescans all siblings each time.
    private static func paths(of siblings: [ConfigElement], under parentPath: String) -> [String] {
        var totals = [String: Int]()
        for sibling in siblings { totals[sibling.name, default: 0] += 1 }
        var seen = [String: Int]()
        return siblings.map { sibling in
            let name = sibling.name
            guard totals[name, default: 0] > 1 else { return parentPath + "/" + name }
            seen[name, default: 0] += 1
            return parentPath + "/\(name)[\(seen[name]!)]"
        }
    }

    /// Validates a group element and everything below it except checks (resolved on their
    /// own), so typos in a group without checks are caught too.
    private mutating func validateGroup(_ group: ConfigElement, path: String) {
        var attributes = groupAttributes(group, path: path)
        let children = group.children
        var subgroups = [ConfigElement]()
        for child in children {
            switch child.name {
            case "check": continue
            case "config":
                attributes.configs.append(child)
                _ = configLayer(child)
            default: subgroups.append(child)
            }
        }
        groups[group] = attributes
        for (subgroup, subpath) in zip(subgroups, Self.paths(of: subgroups, under: path)) {
            validateGroup(subgroup, path: subpath)
        }
    }

    /// `path` is only evaluated for a group not seen yet: asking libxml2 for it rescans the
    /// group's siblings, which for thousands of sibling groups would make resolving quadratic.
    private mutating func groupAttributes(_ group: ConfigElement, path: @autoclosure () -> String) -> InheritableAttributes {
        if let cached = groups[group] { return cached }
        let attributes = group.attributes
        reportUnknownAttributes(of: group, attributes, allowed: InheritableAttributes.names, context: "on group elements")
        let parsed = inheritableAttributes(of: group, attributes, path: path())
        groups[group] = parsed
        return parsed
    }

    /// Validates the inheritable attributes an element writes. Problems are reported at the
    /// element that writes the value, once, however many checks inherit it.
    private mutating func inheritableAttributes(
        of element: ConfigElement, _ attributes: [(name: String, value: String)], path: String
    ) -> InheritableAttributes {
        var result = InheritableAttributes(element: element, path: path)
        for (name, value) in attributes where InheritableAttributes.names.contains(name) {
            result.present.insert(name)
            switch name {
            case "period":
                guard let period = Int64(value) else {
                    report(element, "period '\(value)' is not an integer")
                    continue
                }
                if let problem = boundsProblem(period) {
                    report(element, "period \(period) \(problem)")
                } else {
                    result.period = period
                }
            case "timeout":
                guard let timeout = Int64(value) else {
                    report(element, "timeout '\(value)' is not an integer")
                    continue
                }
                if timeout <= 0 {
                    report(element, "timeout \(timeout) must be positive")
                } else {
                    result.timeout = timeout
                }
            case "module":
                if value.isEmpty {
                    report(element, "module must not be empty")
                } else if module(named: value) == nil {
                    report(element, "unknown module '\(value)'")
                } else {
                    result.module = value
                }
            case "target":
                if value.isEmpty { report(element, "target must not be empty") } else { result.target = value }
            case "filterset":
                if definedFiltersets.contains(value) {
                    result.filterset = value
                } else {
                    report(element, "filterset '\(value)' is not defined in <filtersets>")
                }
            case "disable":
                if let disabled = Self.booleans[value] {
                    result.disabled = disabled
                } else {
                    report(element, "disable '\(value)' must be one of true, false, on, off, yes, no, 1, 0")
                }
            default:
                break
            }
        }
        return result
    }

    /// Where the first of two clashing checks is; one added at the console has no line.
    static func firstPlace(_ line: Int) -> String {
        line > 0 ? "the first is at line \(line)" : "by another check"
    }

    private func boundsProblem(_ period: Int64) -> String? {
        if period < scheduler.minimumPeriodMilliseconds {
            return "is below minimum_period \(scheduler.minimumPeriodMilliseconds)"
        }
        if period > scheduler.maximumPeriodMilliseconds {
            return "is above maximum_period \(scheduler.maximumPeriodMilliseconds)"
        }
        return nil
    }

    /// Resolves one `<check>`; nil when it has an issue (then reported) or is not really a
    /// check: `//check` also finds a config key named `check` and checks nested in checks,
    /// which their enclosing element reports.
    private mutating func resolveCheck(
        _ element: ConfigElement, root: ConfigElement, uuidLines: inout [UUID: Int], nameLines: inout [String: Int]
    ) -> ConfiguredCheck? {
        var ancestors = [ConfigElement]()
        var next = element.parent
        while let current = next, current != root {
            if current.name == "check" || current.name == "config" { return nil }
            ancestors.append(current)
            next = current.parent
        }

        let attributes = element.attributes
        reportUnknownAttributes(of: element, attributes, allowed: Self.checkAttributes, context: "on <check>")
        var own = inheritableAttributes(of: element, attributes, path: "self")
        for child in element.children {
            if child.name == "config" {
                own.configs.append(child)
            } else {
                report(child, "unexpected element inside <check>; only <config> belongs there")
            }
        }
        // levels[0] is the check, then its parent, and so on out to <checks>: deepest wins.
        var levels = [own]
        for ancestor in ancestors {
            levels.append(groupAttributes(ancestor, path: ancestor.path))
        }
        func lookup<Value>(_ name: String, _ value: (InheritableAttributes) -> Value?) -> Inherited<Value> {
            for (level, candidate) in levels.enumerated() where candidate.present.contains(name) {
                if let found = value(candidate) { return .value(found, level: level) }
                return .invalid
            }
            return .unset
        }
        var sources = [String: String]()
        func record<Value>(_ name: String, _ inherited: Inherited<Value>) {
            if let level = inherited.level { sources[name] = levels[level].path }
        }
        func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }
        var complete = true

        var uuid: UUID?
        if let text = attribute("uuid") {
            if let parsed = UUID(uuidString: text) {
                if let first = uuidLines[parsed] {
                    report(element, "duplicate uuid \(text) (\(Self.firstPlace(first)))", kind: .conflict)
                    complete = false
                } else {
                    uuidLines[parsed] = element.line
                    uuid = parsed
                }
            } else {
                report(element, "uuid '\(text)' is not a valid UUID")
            }
        } else {
            report(element, "missing uuid attribute")
        }

        let module = lookup("module") { $0.module }
        record("module", module)
        if case .unset = module {
            report(element, "no module: set module= on the check or on an enclosing element")
        }
        let target = lookup("target") { $0.target }
        record("target", target)
        if case .unset = target {
            report(element, "no target: set target= on the check or on an enclosing element")
        }

        let inheritedPeriod = lookup("period") { $0.period }
        var period = inheritedPeriod.value
        record("period", inheritedPeriod)
        if case .unset = inheritedPeriod {
            period = Self.defaultPeriodMilliseconds
            sources["period"] = "default"
            if let problem = boundsProblem(Self.defaultPeriodMilliseconds) {
                report(element, "default period \(Self.defaultPeriodMilliseconds) \(problem); set period= on the check or on an enclosing element")
                period = nil
            }
        }
        let inheritedTimeout = lookup("timeout") { $0.timeout }
        var timeout = inheritedTimeout.value
        record("timeout", inheritedTimeout)
        if case .unset = inheritedTimeout, let period {
            timeout = min(Self.maximumDefaultTimeoutMilliseconds, period / 2)
            sources["timeout"] = "default"
        }
        if let period, let timeout, timeout >= period {
            let message = "timeout \(timeout) must be less than period \(period) "
                + "(timeout from \(sources["timeout"]!), period from \(sources["period"]!))"
            // A conflict made entirely by ancestors belongs to the deeper of them, reported
            // once rather than for every check below it.
            let deepest = [inheritedPeriod.level, inheritedTimeout.level].compactMap { $0 }.min() ?? 0
            if deepest == 0 {
                report(element, message)
            } else if reportedConflicts.insert(sources["timeout"]! + "|" + sources["period"]!).inserted {
                report(levels[deepest].element, message)
            }
            complete = false
        }

        let disable = lookup("disable") { $0.disabled }
        record("disable", disable)
        if case .unset = disable { sources["disable"] = "default" }
        let filterset = lookup("filterset") { $0.filterset }
        record("filterset", filterset)
        if case .invalid = disable { complete = false }
        if case .invalid = filterset { complete = false }

        var name = module.value
        sources["name"] = "default"
        if let text = attribute("name") {
            sources["name"] = "self"
            if text.isEmpty {
                report(element, "name must not be empty")
                name = nil
            } else {
                name = text
            }
        }
        var seq: Int64? = 0
        sources["seq"] = "default"
        if let text = attribute("seq") {
            sources["seq"] = "self"
            seq = Int64(text)
            if seq == nil { report(element, "seq '\(text)' is not an integer") }
        }
        if let target = target.value, let name {
            let key = target + "`" + name
            if let first = nameLines[key] {
                report(element, "duplicate check \(key): target and name are already used (\(Self.firstPlace(first)))", kind: .conflict)
                complete = false
            } else {
                nameLines[key] = element.line
            }
        }

        // Root-down, so that a group's keys override its parents' and the check's override all.
        var config = [String: String]()
        var configSources = [String: String]()
        var configComplete = true
        for level in levels.reversed() {
            for child in level.configs {
                let layer = configLayer(child)
                configComplete = configComplete && layer.complete
                for entry in layer.inherited {
                    config[entry.key] = entry.value
                    configSources[entry.key] = entry.source
                }
                for entry in layer.own {
                    config[entry.key] = entry.value
                    configSources[entry.key] = level.path
                }
            }
        }
        if configComplete, let moduleName = module.value, let descriptor = self.module(named: moduleName) {
            // A disabled check may still lack required keys: the console creates checks
            // disabled and the operator fills in their config before enabling them.
            let disabled = disable.value ?? false
            for problem in descriptor.problems(in: config) {
                if disabled, case .missingRequired = problem { continue }
                report(element, problem.description)
            }
            // Disabled or not: a check that may not run a program may not be stored either,
            // or enabling it later would be the way around the list.
            for parameter in descriptor.parameters where parameter.runsProgram {
                if let program = config[parameter.name], !access.allowsProgram(program) {
                    report(element, "\(parameter.name) '\(program)' is not an allowed program; <access> in the config file allows \(access.programs.joined(separator: ", "))")
                }
            }
        }

        guard complete, configComplete, let uuid, let moduleName = module.value, let target = target.value,
              let period, let timeout, let name, let seq
        else { return nil }
        let definition = CheckDefinition(
            uuid: uuid, module: moduleName, target: target, name: name,
            periodMilliseconds: period, timeoutMilliseconds: timeout,
            disabled: disable.value ?? false, filterset: filterset.value, seq: seq, config: config
        )
        return ConfiguredCheck(definition: definition, attributeSources: sources, configSources: configSources, line: element.line)
    }
}
