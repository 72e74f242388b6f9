import Foundation

extension ConfigResolver {
    /// `<access>`: API tokens and the programs checks may run (see ``AccessSettings``).
    mutating func resolveAccess(in root: ConfigElement) -> AccessSettings {
        let configDirectory = document.sourcePath.map { ($0 as NSString).deletingLastPathComponent }
        let absoluteDirectory = configDirectory.map { directory in
            directory.hasPrefix("/") ? directory : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(directory)
        }
        var access = AccessSettings(programs: AccessSettings.defaultPrograms(configDirectory: absoluteDirectory))
        guard let element = uniqueChild(of: root, named: "access") else { return access }
        reportUnknownAttributes(of: element, element.attributes, allowed: [], context: "on <access>")
        var programs = [String]()
        var tokenNames = Set<String>()
        for child in element.children {
            let attributes = Dictionary(child.attributes.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
            switch child.name {
            case "api_token":
                reportUnknownAttributes(of: child, child.attributes, allowed: ["name", "hash"], context: "on <api_token>")
                guard let name = attributes["name"], !name.isEmpty else {
                    report(child, "an <api_token> needs a name (it is what the audit log shows)")
                    continue
                }
                guard tokenNames.insert(name).inserted else {
                    report(child, "duplicate api_token name '\(name)'")
                    continue
                }
                guard let text = attributes["hash"], let digest = AccessSettings.digest(ofHashText: text) else {
                    report(child, "api_token '\(name)' needs hash=\"sha256:<64 hex digits>\" from `noitd --make-token`, not the token itself")
                    continue
                }
                access.apiTokens.append(AccessSettings.APIToken(name: name, digest: digest))
            case "program":
                reportUnknownAttributes(of: child, child.attributes, allowed: ["path"], context: "on <program>")
                guard var path = attributes["path"], !path.isEmpty else {
                    report(child, "a <program> needs a path: a program file, or a directory ending in /")
                    continue
                }
                // Like the journal's path: relative to the config file, not to wherever the
                // daemon was started.
                if !path.hasPrefix("/"), let absoluteDirectory {
                    let directory = path.hasSuffix("/")
                    path = ((absoluteDirectory as NSString).appendingPathComponent(path) as NSString).standardizingPath
                    if directory && !path.hasSuffix("/") { path += "/" }
                }
                guard path.hasPrefix("/"), !path.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) else {
                    report(child, "program path '\(path)' must be absolute (or relative to the config file) without . or ..")
                    continue
                }
                programs.append(path)
            default:
                report(child, "unexpected element inside <access>; expected <api_token> or <program>")
            }
        }
        if !programs.isEmpty { access.programs = programs }
        return access
    }
}
