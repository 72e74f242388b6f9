import Console
import ConsoleServer
import Foundation
import NoitConfig
import NoitCore

/// Configuration mode: walk the config tree like a file system and change it. Every change
/// is validated as the config file would be, applied to the running node at once, and
/// saved only by `write memory`.
extension NodeConsole {
    static func registerConfigure(into tree: inout CommandTree<ConsoleCommand>, node: NoitNode, words: ConsoleWords) {
        let sectionPaths: @Sendable (String) -> [String] = { _ in
            node.withRunningDocument { document in
                var paths = ["/", ".."]
                var queue = ["/"]
                while let path = queue.popLast(), paths.count < 500 {
                    guard let listing = try? document.listing(at: .section(path)) else { continue }
                    for section in listing.sections {
                        let child = (path == "/" ? "" : path) + "/" + section
                        paths.append(child)
                        queue.append(child)
                    }
                }
                return paths
            }
        }
        tree.register(path: [.keyword("cd", help: "Go to a section (absolute, relative, ..)"),
                             .parameter("path", help: "Section path", completer: sectionPaths)],
                      action: ConsoleCommand { session, arguments in
                          do {
                              let current = path(of: session)
                              let next = try node.withRunningDocument { try $0.canonicalPath(arguments[0], from: current) }
                              session.mode = .configure(path: next)
                          } catch {
                              await refuse(session, error)
                          }
                      })
        let section = CommandWord.keyword("section", help: "Create a subsection here")
        tree.register(path: [section, words.section], action: ConsoleCommand { session, arguments in
            let here = path(of: session)
            await change(session, node: node, "section \(arguments[0]) in \(here)") { document, _ in
                try document.addSection(named: arguments[0], at: here)
                return nil
            }
        })
        let no = CommandWord.keyword("no", help: "Remove something")
        tree.register(path: [no, section, words.section], action: ConsoleCommand { session, arguments in
            let here = path(of: session)
            await change(session, node: node, "no section \(arguments[0]) in \(here)") { document, _ in
                try document.removeSection(named: arguments[0], at: here)
                return nil
            }
        })

        let check = CommandWord.keyword("check", help: "Create, enter or delete a check")
        tree.register(path: [check, words.uuid], action: ConsoleCommand { session, arguments in
            guard let uuid = await resolveCheck(arguments[0], session: session, node: node) else { return }
            enter(session, check: uuid, node: node)
        })
        tree.register(path: [no, check, words.uuid], action: ConsoleCommand { session, arguments in
            guard let uuid = await resolveCheck(arguments[0], session: session, node: node) else { return }
            await change(session, node: node, "no check \(uuid.lowercasedString)") { document, current in
                try document.removeCheck(uuid)
                return current.checks.first { $0.definition.uuid == uuid }.map { "was \($0.definition.displayName)" }
            }
        })
        // check new target X module Y [name N] [period P] [timeout T], options in that order.
        let creation: [CommandWord] = [
            check, .keyword("new", help: "Create a check (disabled until `no attribute disable`)"),
            .keyword("target", help: "Host or address to check"), .parameter("target", help: "Host or address"),
            .keyword("module", help: "Check module"), words.module,
        ]
        let options: [(String, [CommandWord])] = [
            ("name", [.keyword("name", help: "Name (default: the module's)"), .parameter("name", help: "Check name")]),
            ("period", [.keyword("period", help: "Period in ms"), words.integer("period", "Milliseconds between runs")]),
            ("timeout", [.keyword("timeout", help: "Timeout in ms"), words.integer("timeout", "Milliseconds before the run is stopped")]),
        ]
        for mask in 0..<(1 << options.count) {
            let chosen = options.indices.filter { mask & (1 << $0) != 0 }.map { options[$0] }
            let path = creation + chosen.flatMap(\.1)
            let names = chosen.map(\.0)
            tree.register(path: path, action: ConsoleCommand { session, arguments in
                await createCheck(session, node: node, target: arguments[0], module: arguments[1],
                                  options: Array(zip(names, arguments.dropFirst(2))))
            })
        }
    }

    static func registerCheckMode(into tree: inout CommandTree<ConsoleCommand>, node: NoitNode) {
        tree.register(path: [.keyword("status", help: "Everything about this check")], action: ConsoleCommand { session, _ in
            guard case .check(let uuid, _, _) = session.mode else { return }
            guard let detail = await node.checkDetail(uuid) else {
                await session.write("% This check no longer exists\n")
                return
            }
            await session.write(describe(detail))
        })
    }

    /// `ls`, `attribute`, `config` and their `no` forms: the same in a section and in a check.
    static func registerEditing(into tree: inout CommandTree<ConsoleCommand>, node: NoitNode, words: ConsoleWords) {
        tree.register(path: [.keyword("ls", help: "List what is here")], action: ConsoleCommand { session, _ in
            do {
                let place = place(of: session)
                let listing = try node.withRunningDocument { try $0.listing(at: place) }
                await session.write(describe(listing, at: place, node: node))
            } catch {
                await refuse(session, error)
            }
        })
        let no = CommandWord.keyword("no", help: "Remove something")
        let attribute = CommandWord.keyword("attribute", help: "Set an attribute here (inherited below)")
        tree.register(path: [attribute, words.attributeName, .text("value", help: "Value")], action: ConsoleCommand { session, arguments in
            let place = place(of: session)
            await change(session, node: node, "attribute \(arguments[0]) \(describe(place))") { document, _ in
                let old = try document.setAttribute(arguments[0], to: arguments[1], at: place)
                return "\(old ?? "(unset)") → \(arguments[1])"
            }
        })
        tree.register(path: [no, attribute, words.attributeName], action: ConsoleCommand { session, arguments in
            let place = place(of: session)
            await change(session, node: node, "no attribute \(arguments[0]) \(describe(place))") { document, _ in
                let old = try document.removeAttribute(arguments[0], at: place)
                return "\(old) → (inherited)"
            }
        })
        let config = CommandWord.keyword("config", help: "Set a config key here (inherited below)")
        tree.register(path: [config, words.configKey, .text("value", help: "Value")], action: ConsoleCommand { session, arguments in
            let place = place(of: session)
            await change(session, node: node, "config \(arguments[0]) \(describe(place))") { document, _ in
                let old = try document.setConfig(arguments[0], to: arguments[1], at: place)
                return redacted(arguments[0], "\(old ?? "(unset)") → \(arguments[1])")
            }
        })
        tree.register(path: [no, config, words.configKey], action: ConsoleCommand { session, arguments in
            let place = place(of: session)
            await change(session, node: node, "no config \(arguments[0]) \(describe(place))") { document, _ in
                let old = try document.removeConfig(arguments[0], at: place)
                return redacted(arguments[0], "\(old) → (inherited)")
            }
        })
    }

    // MARK: - Helpers

    static func change(
        _ session: ConsoleSession, node: NoitNode, _ action: String,
        _ edit: @escaping (ConfigDocument, NoitConfiguration) throws -> String?
    ) async {
        do {
            try await node.change(by: author(session), action, edit)
        } catch {
            await refuse(session, error)
        }
    }

    static func createCheck(_ session: ConsoleSession, node: NoitNode, target: String, module: String, options: [(String, String)]) async {
        let uuid = UUID()
        var here = path(of: session)
        // Only checks below <checks> are checks; anywhere else, make it at the top of <checks>.
        if here != "/checks", !here.hasPrefix("/checks/") { here = "/checks" }
        let attributes = [ConfigEntry(name: "target", value: target), ConfigEntry(name: "module", value: module)]
            + options.map { ConfigEntry(name: $0.0, value: $0.1) } + [ConfigEntry(name: "disable", value: "true")]
        let section = here
        do {
            try await node.change(by: author(session), "check new \(uuid.lowercasedString) in \(section)") { document, _ in
                if section == "/checks", (try? document.canonicalPath("/checks")) == nil { try document.addSection(named: "checks", at: "/") }
                try document.addCheck(uuid, attributes: attributes, config: [], at: section)
                return "\(target)`\(module)"
            }
        } catch {
            await refuse(session, error)
            return
        }
        await session.write("% Created check \(uuid.lowercasedString) (disabled: set its config, then `no attribute disable`)\n")
        enter(session, check: uuid, node: node)
    }

    static func enter(_ session: ConsoleSession, check uuid: UUID, node: NoitNode) {
        let definition = node.checks.definition(uuid)
        let section = node.withRunningDocument { $0.sectionPath(ofCheck: uuid) } ?? "/checks"
        session.mode = .check(id: uuid, label: definition.map { "\($0.target)`\($0.name)" } ?? uuid.lowercasedString, path: section)
    }

    static func describe(_ place: ConfigPlace) -> String {
        switch place {
        case .section(let path): "on \(path)"
        case .check(let uuid): "on check \(uuid.lowercasedString)"
        }
    }

    /// Keeps secrets (a postgres check's password, an API key) out of the audit log.
    static func redacted(_ key: String, _ detail: String) -> String {
        SecretKeys.isSecret(key) ? "(value not logged)" : detail
    }

    static func describe(_ listing: ConfigListing, at place: ConfigPlace, node: NoitNode) -> String {
        var text = if case .check(let uuid) = place {
            "==== check \(uuid.lowercasedString) in \(listing.path) (its own settings; `status` shows inherited ones) ====\n"
        } else {
            "==== \(listing.path) ====\n"
        }
        for attribute in listing.attributes { text += "  @\(attribute.name) = \(attribute.value)\n" }
        if !listing.config.isEmpty {
            text += " config:\n"
            for entry in listing.config { text += "  \(entry.name) = \(SecretKeys.shown(entry.name, entry.value))\n" }
        }
        if !listing.sections.isEmpty {
            text += " sections:\n"
            for section in listing.sections { text += "  \(section)/\n" }
        }
        if !listing.checks.isEmpty {
            text += " checks:\n"
            for uuid in listing.checks {
                let name = node.checks.definition(uuid).map { $0.target + "`" + $0.module + "`" + $0.name } ?? "(not running)"
                text += "  \(uuid.lowercasedString) \(name)\n"
            }
        }
        return text
    }
}
