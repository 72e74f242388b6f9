import CheckModules
import Console
import Foundation
import NoitConfig
import NoitCore

/// The parameter words the node's commands share, with completers that read the running
/// node when Tab or `?` is pressed.
struct ConsoleWords: Sendable {
    let uuid: CommandWord
    let module: CommandWord
    let attributeName: CommandWord
    let configKey: CommandWord
    let section: CommandWord

    func integer(_ name: String, _ help: String) -> CommandWord {
        .parameter(name, help: help, validator: { Int64($0) != nil })
    }

    static let settableAttributes = ["period", "timeout", "module", "target", "name", "disable", "filterset", "seq"]

    init(node: NoitNode) {
        // A uuid or a prefix of one: commands expand a unique prefix, so `show check 1b4e`
        // works wherever Tab would have completed it.
        uuid = .parameter(
            "uuid", help: "Check UUID (a unique prefix will do)",
            completer: { prefix in
                let lowered = prefix.lowercased()
                return node.currentConfiguration.checks.map(\.definition.uuid.lowercasedString).filter { $0.hasPrefix(lowered) }.sorted()
            },
            validator: { word in !word.isEmpty && word.count <= 36 && word.allSatisfy { $0.isHexDigit || $0 == "-" } })
        let moduleNames = node.modules.descriptors.map(\.name)
        module = .parameter(
            "module", help: "Check module (\(moduleNames.joined(separator: ", ")))",
            completer: { _ in moduleNames }, validator: { moduleNames.contains($0) })
        attributeName = .parameter(
            "name", help: "Attribute (\(Self.settableAttributes.joined(separator: ", ")))",
            completer: { _ in Self.settableAttributes },
            validator: { !$0.isEmpty })
        let parameterNames = Set(node.modules.descriptors.flatMap { $0.parameters.filter { !$0.isPrefix }.map(\.name) }).sorted()
        configKey = .parameter("key", help: "Config key of the check's module", completer: { _ in parameterNames })
        section = .parameter("section", help: "Section name")
    }
}
