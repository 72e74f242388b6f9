import Console
import ConsoleServer
import Foundation
import NoitConfig
import NoitCore

/// Top-level commands, and the few every mode shares (`write memory`, `exit`, `end`).
extension NodeConsole {
    static let helpText = """
        Commands abbreviate to any unambiguous prefix (sh ch = show checks).
        ? lists what may come next; Tab completes; Up/Down recall history.
        Ctrl-A/E start/end of line, Ctrl-B/F move, Ctrl-K/U/W delete, Ctrl-C cancel,
        Ctrl-Z back to the top level, Ctrl-D on an empty line logs out.
        configure terminal enters configuration mode; changes apply at once and are
        saved by write memory.

        """

    static func registerExec(into tree: inout CommandTree<ConsoleCommand>, node: NoitNode, words: ConsoleWords) {
        tree.register(path: [.keyword("configure", help: "Enter configuration mode"), .keyword("terminal", help: "Configure from this terminal")],
                      action: ConsoleCommand { session, _ in
                          let start = node.withRunningDocument { (try? $0.canonicalPath("/checks")) ?? "/" }
                          session.mode = .configure(path: start)
                      })
        let watch = CommandWord.keyword("watch", help: "Run a transient copy of a check and stream its results")
        tree.register(path: [watch, words.uuid], action: ConsoleCommand { session, arguments in
            await self.watch(session, node: node, check: arguments[0], period: nil)
        })
        tree.register(path: [watch, words.uuid, words.integer("period-ms", "How often to run it (default: its period)")],
                      action: ConsoleCommand { session, arguments in
                          await self.watch(session, node: node, check: arguments[0], period: Int64(arguments[1]))
                      })
        tree.register(path: [.keyword("reload", help: "Re-read the config file, discarding unsaved changes")], action: ConsoleCommand { session, _ in
            guard await session.confirm("Discard unsaved changes and reload \(node.configPath)?") else { return }
            switch await node.reload() {
            case .success(let changes):
                await session.write("% Reloaded: \(changes.added.count) added, \(changes.changed.count) changed, \(changes.removed.count) removed\n")
            case .failure(let error):
                await session.write("% Reload refused; the running config is unchanged:\n" + error.issues.map { "% \($0)\n" }.joined())
            }
        })
        tree.register(path: [.keyword("terminal", help: "Terminal settings"), .keyword("length", help: "Lines per page"),
                             words.integer("lines", "0 turns paging off")],
                      action: ConsoleCommand { session, arguments in
                          session.pageLength = max(0, Int(arguments[0]) ?? 0)
                      })
        tree.register(path: [.keyword("help", help: "How to use this console")], action: ConsoleCommand { session, _ in
            await session.write(helpText)
        })
        tree.register(path: [.keyword("exit", help: "Log out")], action: ConsoleCommand { session, _ in session.logout() })
        tree.register(path: [.keyword("quit", help: "Log out")], action: ConsoleCommand { session, _ in session.logout() })
        tree.register(path: [.keyword("shutdown", help: "Stop noitd (asks first)")], action: ConsoleCommand { session, _ in
            guard await session.confirm("Stop noitd? Checks stop running until it is started again.") else { return }
            await session.write("% Shutting down\n")
            node.requestShutdown(by: author(session))
            session.logout()
        })
        registerWriteMemory(into: &tree, node: node)
    }

    static func registerWriteMemory(into tree: inout CommandTree<ConsoleCommand>, node: NoitNode) {
        tree.register(path: [.keyword("write", help: "Save the running config"), .keyword("memory", help: "To the config file")],
                      action: ConsoleCommand { session, _ in
                          do {
                              try await node.writeMemory(by: author(session))
                              await session.write("% Saved to \(node.configPath)\n")
                          } catch {
                              await refuse(session, error)
                          }
                      })
    }

    /// `exit` and `end` in the configuration modes, and `write memory` there too.
    static func registerCommon(into tree: inout CommandTree<ConsoleCommand>, node: NoitNode) {
        tree.register(path: [.keyword("exit", help: "Leave this mode")], action: ConsoleCommand { session, _ in
            switch session.mode {
            case .check(_, _, let path): session.mode = .configure(path: path)
            default: session.mode = .exec
            }
        })
        tree.register(path: [.keyword("end", help: "Back to the top level")], action: ConsoleCommand { session, _ in session.mode = .exec })
        registerWriteMemory(into: &tree, node: node)
    }

    /// Streams results of a transient copy of a check (nothing journaled, the real check
    /// untouched) until a key is pressed.
    static func watch(_ session: ConsoleSession, node: NoitNode, check word: String, period: Int64?) async {
        guard let uuid = await resolveCheck(word, session: session, node: node),
              var definition = node.checks.definition(uuid) else { return }
        if let period {
            guard period >= 100 else {
                await session.write("% period-ms must be at least 100\n")
                return
            }
            definition.periodMilliseconds = period
            definition.timeoutMilliseconds = min(definition.timeoutMilliseconds, max(1, period - 1))
        }
        if let problems = node.modules.descriptor(named: definition.module)?.problems(in: definition.config), !problems.isEmpty {
            await session.write(problems.map { "% \($0)\n" }.joined())
            return
        }
        let copy = definition
        await session.write("Watching \(copy.displayName) every \(copy.periodMilliseconds) ms; press any key to stop.\n")
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    let started = ContinuousClock.now
                    let result = await node.runOnce(copy)
                    if Task.isCancelled { break }
                    let now = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
                    guard await session.write("[\(now.recordText)]\n" + describe(result, indent: "  ")) else { break }
                    try? await Task.sleep(until: started + .milliseconds(copy.periodMilliseconds))
                }
            }
            group.addTask { _ = await session.nextKey() }
            await group.next()
            group.cancelAll()
        }
        await session.write("% Watch stopped\n")
    }
}
