import Foundation
import NoitCore

/// What one external run executes, built from a check's config: the program, its argument
/// vector and its whole environment. Nothing goes through a shell.
struct ExternalCommand: Hashable, Sendable {
    /// Why a config cannot be turned into a command; `reason` is the check's status.
    struct Invalid: Error, Hashable, Sendable {
        var reason: String
    }

    /// The only variable a plugin gets besides its check's `env_` keys.
    static let defaultSearchPath = "/usr/sbin:/usr/bin:/sbin:/bin"

    /// What may follow `env_`: a variable name, but not `PATH` (which program a plugin's own
    /// `execvp` finds) nor the dynamic loader's `LD_*` (which code every program loads): either
    /// would let a check run a program `<access>` does not allow.
    static let allowedVariableName = "(?!LD_)(?!PATH$)[A-Za-z_][A-Za-z0-9_]*"

    /// The absolute path handed to the kernel.
    var path: String
    /// `argv`, starting with `argv[0]` (`arg0`, else the command path).
    var arguments: [String]
    /// `NAME=value` entries, sorted by name; exactly the `env_` keys plus `PATH`.
    var environment: [String]

    /// Builds the command: `arg0`...`argN` in numeric order (gaps allowed), `env_NAME` keys,
    /// and `%[target]`, `%[name]`, `%[module]`, `%[uuid]`, `%[period]`, `%[timeout]` replaced
    /// in every argument and environment value.
    init(check: CheckDefinition) throws(Invalid) {
        guard let command = check.config["command"], command.hasPrefix("/") else {
            throw Invalid(reason: "command must be an absolute path")
        }
        var numbered = [(Int, String)]()
        var environment = ["PATH": ExternalCommand.defaultSearchPath]
        for (key, value) in check.config {
            if key.hasPrefix("arg") {
                let digits = key.dropFirst(3)
                guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                    digits == "0" || !digits.hasPrefix("0"), let number = Int(digits)
                else {
                    throw Invalid(reason: "config key '\(key)' is not arg followed by a number")
                }
                numbered.append((number, ExternalCommand.interpolate(value, for: check)))
            } else if key.hasPrefix("env_") {
                let name = String(key.dropFirst(4))
                guard !name.isEmpty, !name.contains("=") else {
                    throw Invalid(reason: "config key '\(key)' does not name an environment variable")
                }
                // Also here, not only in the config's validation: a run never gets them.
                guard PatternCache.wholeMatch(ExternalCommand.allowedVariableName, name) else {
                    throw Invalid(reason: "config key '\(key)' is refused: PATH and LD_* cannot be set")
                }
                environment[name] = ExternalCommand.interpolate(value, for: check)
            }
        }
        numbered.sort { $0.0 < $1.0 }
        var arguments = [command]
        if let first = numbered.first, first.0 == 0 {
            arguments[0] = first.1
            numbered.removeFirst()
        }
        arguments += numbered.map(\.1)
        let entries = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        // A NUL would silently cut the C string the kernel sees.
        for text in [command] + arguments + entries where text.utf8.contains(0) {
            throw Invalid(reason: "command, arguments and environment must not contain NUL bytes")
        }
        self.path = command
        self.arguments = arguments
        self.environment = entries
    }

    /// Replaces the `%[key]` placeholders the original node understood; unknown ones stay as written.
    static func interpolate(_ text: String, for check: CheckDefinition) -> String {
        guard text.contains("%[") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "%[") {
            result += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: "]") else {
                result += rest[open.lowerBound...]
                rest = ""
                break
            }
            let key = afterOpen[..<close]
            if let value = placeholder(String(key), check) {
                result += value
            } else {
                result += rest[open.lowerBound...close]
            }
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        return result + rest
    }

    private static func placeholder(_ key: String, _ check: CheckDefinition) -> String? {
        switch key {
        case "target": check.target
        case "name": check.name
        case "module": check.module
        case "uuid": check.uuid.lowercasedString
        case "period": String(check.periodMilliseconds)
        case "timeout": String(check.timeoutMilliseconds)
        default: nil
        }
    }
}
