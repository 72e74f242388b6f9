/// What one `<config>` element contributes, resolved once and shared by every check below it.
struct ConfigLayer {
    /// Keys pulled in through `inherit=` (templates of templates first), already labelled with
    /// the template they came from, in the order they apply.
    var inherited: [(key: String, value: String, source: String)] = []
    /// The element's own keys, which override the inherited ones. They are labelled by whoever
    /// merges the layer: the same element is a template to some and a plain config to others.
    var own: [(key: String, value: String)] = []
    /// False when an unknown template or a cycle left keys out: a module's "missing required
    /// key" would then be a consequence, not a finding of its own.
    var complete = true
}
