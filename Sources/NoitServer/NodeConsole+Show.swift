import CheckModules
import Console
import ConsoleServer
import Foundation
import NoitConfig
import NoitCore

/// `show …`: available in every mode, as on network gear.
extension NodeConsole {
    static func registerShow(into tree: inout CommandTree<ConsoleCommand>, node: NoitNode, words: ConsoleWords) {
        let show = CommandWord.keyword("show", help: "Show running system information")
        tree.register(path: [show, .keyword("checks", help: "One line per check: state and last result")], action: ConsoleCommand { session, _ in
            await showChecks(session, node: node)
        })
        tree.register(path: [show, .keyword("check", help: "Everything about one check"), words.uuid], action: ConsoleCommand { session, arguments in
            guard let uuid = await resolveCheck(arguments[0], session: session, node: node) else { return }
            guard let detail = await node.checkDetail(uuid) else {
                await session.write("% No check \(uuid.lowercasedString)\n")
                return
            }
            await session.write(describe(detail))
        })
        tree.register(path: [show, .keyword("version", help: "Version, uptime and load")], action: ConsoleCommand { session, _ in
            let status = await node.status()
            await session.write("""
                noitd \(status.version) (Reconnoiter for Swift)
                uptime \(status.uptimeSeconds) s, \(status.checkCount) checks, \(status.runsStarted) runs started
                lateness p50 \(format(microseconds: status.latenessP50Microseconds)) p99 \(format(microseconds: status.latenessP99Microseconds)) \
                max \(format(microseconds: status.latenessMaxMicroseconds))
                journal \(status.journalRecords) records, \(status.journalBytes) bytes at \(node.journal.configuration.directory)
                config \(node.configPath)

                """)
        })
        tree.register(path: [show, .keyword("timing_slots", help: "How check starts spread over the period")], action: ConsoleCommand { session, _ in
            await session.write(await node.scheduler.timingSlots() + "\n")
        })
        let running = ConsoleCommand { session, _ in await session.write(node.shownRunningConfigXML) }
        tree.register(path: [show, .keyword("running-config", help: "The running config, as write memory would save it")], action: running)
        tree.register(path: [show, .keyword("config", help: "Same as show running-config")], action: running)
        tree.register(path: [show, .keyword("startup-config", help: "The config file as saved")], action: ConsoleCommand { session, _ in
            do {
                await session.write(try node.shownStartupConfigXML())
            } catch {
                await session.write("% Cannot read \(node.configPath): \(error.localizedDescription)\n")
            }
        })
        tree.register(path: [show, .keyword("modules", help: "Check modules and their parameters")], action: ConsoleCommand { session, _ in
            var text = ""
            for descriptor in node.modules.descriptors {
                text += "\(descriptor.name): \(descriptor.summary)\n"
                for parameter in descriptor.parameters {
                    var line = "  \(parameter.name)\(parameter.isPrefix ? "*" : "")"
                    if parameter.required { line += " (required)" }
                    if let value = parameter.defaultValue { line += " [default \(value)]" }
                    text += line + ": \(parameter.help)\n"
                }
            }
            await session.write(text)
        })
    }

    /// Turns a uuid or a unique prefix into a check's uuid, or explains why not.
    static func resolveCheck(_ word: String, session: ConsoleSession, node: NoitNode) async -> UUID? {
        let lowered = word.lowercased()
        let matches = node.currentConfiguration.checks.map(\.definition.uuid).filter { $0.lowercasedString.hasPrefix(lowered) }
        if matches.count == 1 { return matches[0] }
        await session.write(matches.isEmpty ? "% No check matches \(word)\n" : "% Ambiguous check: \(word) matches \(matches.count) checks\n")
        return nil
    }

    static func showChecks(_ session: ConsoleSession, node: NoitNode) async {
        let width = max(40, session.width)
        var text = "UUID                                 STATE    PERIOD  CHECK\n"
        for configured in node.currentConfiguration.checks {
            let definition = configured.definition
            let entry = node.checks.entry(definition.uuid)
            let state: String = if definition.disabled {
                "disabled"
            } else if let result = entry?.lastResult {
                "\(result.availability == .available ? "up" : "down")/\(result.state == .good ? "good" : "bad")"
            } else {
                "pending"
            }
            var line = definition.uuid.lowercasedString + " " + state.padding(toLength: 8, withPad: " ", startingAt: 0)
            line += " " + String(definition.periodMilliseconds / 1000).leftPadded(to: 5) + "s  "
            line += "\(definition.target)`\(definition.module)`\(definition.name)"
            // The identity is never cut (scripts parse it); the status fills what is left.
            if let status = entry?.lastResult?.status, !status.isEmpty, line.count + 12 < width {
                line += "  " + status.truncated(to: width - 3 - line.count)
            }
            text += line + "\n"
        }
        text += "\(node.currentConfiguration.checks.count) checks\n"
        await session.write(text)
    }

    static func describe(_ detail: CheckDetail) -> String {
        let definition = detail.definition
        var text = "==== \(definition.uuid.lowercasedString) ====\n"
        text += "  \(definition.target)`\(definition.module)`\(definition.name)"
        if let section = detail.section { text += " in \(section)" }
        text += "\n attributes (value [where it comes from]):\n"
        for (name, value) in CheckRepresentation.attributes(of: definition) where name != "uuid" {
            guard let value else { continue }
            text += "  \(name): \(value) [\(detail.configured.attributeSources[name] ?? "default")]\n"
        }
        text += " config:\n"
        for key in definition.config.keys.sorted() {
            text += "  \(key): \(SecretKeys.shown(key, definition.config[key]!)) [\(detail.configured.configSources[key] ?? "self")]\n"
        }
        if definition.config.isEmpty { text += "  (none)\n" }
        text += " state:\n"
        if definition.disabled { text += "  disabled\n" }
        text += "  last run: \(detail.lastRunAt?.recordText ?? "never")"
        if let lateness = detail.latenessMilliseconds { text += " (planned \(detail.lastPlannedAt!.recordText), \(lateness) ms late)" }
        text += "\n  next run: \(detail.nextRun?.recordText ?? "not planned")\n"
        if let result = detail.lastResult {
            text += describe(result, indent: "  ")
        }
        return text
    }

    static func describe(_ result: CheckResult, indent: String) -> String {
        var text = "\(indent)availability: \(result.availability == .available ? "available" : "unavailable"), "
        text += "state: \(result.state == .good ? "good" : "bad"), duration: \(result.durationMilliseconds) ms\n"
        text += "\(indent)status: \(result.status)\n"
        if !result.metrics.isEmpty {
            text += "\(indent)metrics:\n"
            for metric in result.metrics {
                text += "\(indent)  \(metric.name) [\(metric.type.rawValue)] = \(metric.value.valueText ?? "[[null]]")\n"
            }
        }
        return text
    }

    static func format(microseconds: UInt64) -> String {
        String(format: "%.2f ms", Double(microseconds) / 1000)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    func truncated(to width: Int) -> String {
        count <= width ? self : String(prefix(max(0, width - 1))) + "…"
    }
}
