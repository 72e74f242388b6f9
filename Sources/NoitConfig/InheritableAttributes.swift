/// The inheritable attributes one element (a group or a check) writes, validated. An
/// attribute that is present but invalid is in `present` with a nil value: the element's own
/// issue already explains it, and checks below must not fall back to an outer value.
struct InheritableAttributes {
    static let names = ["period", "timeout", "module", "target", "filterset", "disable"]

    let element: ConfigElement
    /// How `attributeSources` names the element when a check inherits from it.
    let path: String
    /// The element's own `<config>` children, found once: walking the children of a group
    /// that holds thousands of checks once per check would be quadratic.
    var configs = [ConfigElement]()
    var present = Set<String>()
    var period: Int64?
    var timeout: Int64?
    var module: String?
    var target: String?
    var filterset: String?
    var disabled: Bool?
}
