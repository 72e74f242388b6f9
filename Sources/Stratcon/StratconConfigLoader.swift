import Alerting
import Foundation
import NoitConfig

/// Reads stratcon.conf: the same conventions as noitd's config (XML, libxml2, errors with
/// file, line and element, all of them at once).
///
/// ```xml
/// <stratcon>
///   <data path="data"/>                        <!-- relative to this file -->
///   <database embedded_port="54330"/>          <!-- or dsn="postgres://user@host:5432/db" -->
///   <tls cert="stratcond.crt" key="stratcond.key" ca="ca.crt"/>
///   <noits statistics_interval="60"><noit address="127.0.0.1" port="43192" server_name="localhost"/></noits>
///   <listeners><listener type="http" address="127.0.0.1" port="8080"/></listeners>
///   <alerting>…</alerting>                      <!-- see AlertingSettings+XML.swift -->
/// </stratcon>
/// ```
public enum StratconConfigLoader {
    public static func load(path: String) throws(ConfigError) -> StratconConfiguration {
        let document = try ConfigDocument(contentsOfFile: path, root: "stratcon")
        // Absolute, because PostgreSQL and the feeds get these paths with another working directory.
        let absolutePath = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return try resolve(document.tree(), file: path, directory: (absolutePath as NSString).deletingLastPathComponent)
    }

    public static func resolve(_ root: ConfigNode, file: String, directory: String) throws(ConfigError) -> StratconConfiguration {
        var issues = [ConfigIssue]()
        func report(_ node: ConfigNode, _ message: String) {
            issues.append(ConfigIssue(file: file, line: node.line, element: node.label, message: message))
        }
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") || directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
        }
        func unique(_ name: String) -> ConfigNode? {
            let matches = root.children.filter { $0.name == name }
            for duplicate in matches.dropFirst() { report(duplicate, "duplicate <\(name)> (the first is at line \(matches[0].line))") }
            return matches.first
        }
        func checkAttributes(_ node: ConfigNode, _ allowed: [String]) {
            for attribute in node.attributes where !allowed.contains(attribute.name) {
                report(node, "unknown attribute '\(attribute.name)' (allowed: \(allowed.joined(separator: ", ")))")
            }
        }
        func port(_ node: ConfigNode, _ name: String, default value: Int) -> Int {
            guard let text = node.attribute(name) else { return value }
            guard let number = Int(text), (1...65535).contains(number) else {
                report(node, "\(name) '\(text)' must be an integer from 1 to 65535")
                return value
            }
            return number
        }
        let known = ["data", "database", "tls", "noits", "listeners", "retention", "alerting"]
        for child in root.children where !known.contains(child.name) {
            report(child, "unknown element <\(child.name)> in <stratcon> (expected: \(known.joined(separator: ", ")))")
        }

        var dataPath = absolute("data")
        if let data = unique("data") {
            checkAttributes(data, ["path"])
            if let path = data.attribute("path") {
                if path.isEmpty { report(data, "path must not be empty") } else { dataPath = absolute(path) }
            }
        }

        var database = StratconConfiguration.Database.embedded(port: StratconConfiguration.defaultEmbeddedPort)
        if let element = unique("database") {
            checkAttributes(element, ["dsn", "embedded_port"])
            if let dsn = element.attribute("dsn") {
                if let parsed = parseDSN(dsn) { database = parsed } else {
                    report(element, "dsn must look like postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require]")
                }
                if element.attribute("embedded_port") != nil { report(element, "embedded_port and dsn exclude each other") }
            } else {
                database = .embedded(port: port(element, "embedded_port", default: StratconConfiguration.defaultEmbeddedPort))
            }
        }

        var certificate = "", key = "", authority = ""
        if let tls = unique("tls") {
            checkAttributes(tls, ["cert", "key", "ca"])
            for (name, target) in [("cert", 0), ("key", 1), ("ca", 2)] {
                guard let value = tls.attribute(name), !value.isEmpty else {
                    report(tls, "missing \(name): stratcond connects to noits with TLS and a client certificate only")
                    continue
                }
                switch target {
                case 0: certificate = absolute(value)
                case 1: key = absolute(value)
                default: authority = absolute(value)
                }
            }
        } else if root.children.contains(where: { $0.name == "noits" }) {
            report(root, "missing <tls cert= key= ca=>: stratcond connects to noits with TLS and a client certificate only")
        }

        var noits = [StratconConfiguration.Noit]()
        var statisticsSeconds = 60
        if let container = unique("noits") {
            checkAttributes(container, ["statistics_interval"])
            if let text = container.attribute("statistics_interval") {
                if let seconds = Int(text), (1...86_400).contains(seconds) { statisticsSeconds = seconds } else {
                    report(container, "statistics_interval '\(text)' must be whole seconds from 1 to 86400")
                }
            }
            var seen = [String: Int]()
            for element in container.children {
                guard element.name == "noit" else {
                    report(element, "unexpected element inside <noits>; expected <noit>")
                    continue
                }
                checkAttributes(element, ["address", "port", "server_name"])
                guard let address = element.attribute("address"), !address.isEmpty else {
                    report(element, "missing address")
                    continue
                }
                let noit = StratconConfiguration.Noit(
                    address: address, port: port(element, "port", default: StratconConfiguration.defaultFeedPort),
                    serverName: element.attribute("server_name"))
                let key = "\(noit.address):\(noit.port)"
                if let first = seen[key] {
                    report(element, "\(key) is already listed at line \(first)")
                    continue
                }
                seen[key] = element.line
                noits.append(noit)
            }
        }

        var httpAddress = "127.0.0.1", httpPort = 8080
        if let listeners = unique("listeners") {
            for element in listeners.children {
                guard element.name == "listener", element.attribute("type") == "http" else {
                    report(element, "expected <listener type=\"http\">")
                    continue
                }
                checkAttributes(element, ["type", "address", "port"])
                httpAddress = element.attribute("address") ?? httpAddress
                // 0 asks the system for a free port (tests); stratcond logs the one it got.
                httpPort = element.attribute("port") == "0" ? 0 : port(element, "port", default: httpPort)
            }
        }

        var rawRetentionDays: Int?
        if let retention = unique("retention") {
            checkAttributes(retention, ["raw_days"])
            if let text = retention.attribute("raw_days") {
                if let days = Int(text), days >= 1 { rawRetentionDays = days } else {
                    report(retention, "raw_days '\(text)' must be a positive integer")
                }
            }
        }

        var alerting = AlertingSettings()
        if let element = unique("alerting") {
            alerting = AlertingSettings(xml: element, directory: directory, report: report)
        }
        if alerting.uiBaseURL == nil {
            let host = httpAddress == "0.0.0.0" || httpAddress == "::" ? "127.0.0.1" : httpAddress
            alerting.uiBaseURL = httpPort == 0 ? nil : "http://\(host.contains(":") ? "[\(host)]" : host):\(httpPort)"
        }

        guard issues.isEmpty else { throw ConfigError(issues: issues.sorted { ($0.line ?? 0) < ($1.line ?? 0) }) }
        return StratconConfiguration(
            dataPath: dataPath, database: database, certificatePath: certificate, keyPath: key, authorityPath: authority,
            noits: noits, httpAddress: httpAddress, httpPort: httpPort, rawRetentionDays: rawRetentionDays,
            feedStatisticsSeconds: statisticsSeconds, alerting: alerting)
    }

    static func parseDSN(_ text: String) -> StratconConfiguration.Database? {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql",
              let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty
        else { return nil }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let requireTLS = components.queryItems?.contains { $0.name == "sslmode" && $0.value == "require" } ?? false
        return .external(
            host: host, port: components.port ?? 5432, user: user, password: components.password,
            database: database.isEmpty ? user : database, requireTLS: requireTLS)
    }
}
