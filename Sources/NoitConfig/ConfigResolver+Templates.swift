extension ConfigResolver {
    /// Indexes every `<config id="...">` of the document once, then resolves each, so a broken
    /// template is reported even when no check uses it yet.
    mutating func indexTemplates() {
        var ordered = [ConfigElement]()
        for element in document.elements(matching: "//config[@id]") {
            let id = element.attribute("id") ?? ""
            if id.isEmpty {
                report(element, "template id must not be empty")
            } else if let first = templates[id] {
                report(element, "duplicate template id '\(id)' (the first is at line \(first.line))")
            } else {
                templates[id] = element
                ordered.append(element)
            }
        }
        for template in ordered { _ = configLayer(template) }
    }

    /// The keys a `<config>` element contributes, with its `inherit=` chain followed. Memoised,
    /// so each element is validated and reported once however many checks it applies to.
    mutating func configLayer(_ config: ConfigElement) -> ConfigLayer {
        if let cached = layers[config] { return cached }
        var layer = ConfigLayer()
        let attributes = config.attributes
        reportUnknownAttributes(of: config, attributes, allowed: ["id", "inherit"], context: "on <config>")
        if config.hasStrayText {
            report(config, "text directly inside <config>; each value belongs in its own key element, like <url>...</url>")
        }
        for key in config.children {
            if key.children.isEmpty {
                layer.own.append((key.name, key.text))
            } else {
                report(key, "config key '\(key.name)' must contain only text")
            }
        }
        if let parentID = attributes.first(where: { $0.name == "inherit" })?.value {
            layersInProgress.append(config)
            if let template = templates[parentID] {
                if let start = layersInProgress.firstIndex(of: template) {
                    let ids = layersInProgress[start...].map { $0.attribute("id") ?? "?" } + [parentID]
                    report(config, "template cycle: \(ids.joined(separator: " -> "))")
                    layer.complete = false
                } else {
                    let base = configLayer(template)
                    layer.inherited = base.inherited + base.own.map { ($0.key, $0.value, "template \(parentID)") }
                    layer.complete = base.complete
                }
            } else {
                report(config, "unknown template '\(parentID)'")
                layer.complete = false
            }
            layersInProgress.removeLast()
        }
        layers[config] = layer
        return layer
    }
}
