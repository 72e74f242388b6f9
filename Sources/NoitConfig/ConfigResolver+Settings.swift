import Foundation

extension ConfigResolver {
    mutating func resolveScheduler(in root: ConfigElement) -> SchedulerBounds {
        var bounds = SchedulerBounds()
        guard let element = uniqueChild(of: root, named: "scheduler") else { return bounds }
        let attributes = element.attributes
        reportUnknownAttributes(of: element, attributes, allowed: ["minimum_period", "maximum_period"], context: "on <scheduler>")
        var minimum: Int64?
        var maximum: Int64?
        for attribute in attributes {
            switch attribute.name {
            case "minimum_period": minimum = positiveInteger(attribute, of: element)
            case "maximum_period": maximum = positiveInteger(attribute, of: element)
            default: break
            }
        }
        let candidate = SchedulerBounds(
            minimumPeriodMilliseconds: minimum ?? bounds.minimumPeriodMilliseconds,
            maximumPeriodMilliseconds: maximum ?? bounds.maximumPeriodMilliseconds
        )
        if candidate.minimumPeriodMilliseconds > candidate.maximumPeriodMilliseconds {
            report(element, "minimum_period \(candidate.minimumPeriodMilliseconds) is above maximum_period \(candidate.maximumPeriodMilliseconds)")
        } else {
            bounds = candidate
        }
        return bounds
    }

    mutating func resolveJournal(in root: ConfigElement) -> JournalSettings {
        var journal = JournalSettings()
        if let element = uniqueChild(of: root, named: "journal") {
            let attributes = element.attributes
            reportUnknownAttributes(
                of: element, attributes, allowed: ["path", "segment_size", "fsync_interval", "max_bytes"], context: "on <journal>"
            )
            for attribute in attributes {
                switch attribute.name {
                case "path":
                    if attribute.value.isEmpty { report(element, "path must not be empty") } else { journal.path = attribute.value }
                case "segment_size":
                    journal.segmentBytes = positiveInteger(attribute, of: element) ?? journal.segmentBytes
                case "fsync_interval":
                    journal.fsyncIntervalMilliseconds = positiveInteger(attribute, of: element) ?? journal.fsyncIntervalMilliseconds
                case "max_bytes":
                    journal.maxBytes = positiveInteger(attribute, of: element) ?? journal.maxBytes
                default: break
                }
            }
        }
        // The operator thinks of paths in the config as relative to the config, not to
        // whatever directory the daemon happened to be started from.
        if let sourcePath = document.sourcePath, !journal.path.hasPrefix("/") {
            let directory = (sourcePath as NSString).deletingLastPathComponent
            if !directory.isEmpty { journal.path = (directory as NSString).appendingPathComponent(journal.path) }
        }
        return journal
    }

    mutating func resolveListeners(in root: ConfigElement) -> [ListenerSettings] {
        guard let container = uniqueChild(of: root, named: "listeners") else { return ListenerSettings.defaults }
        var listeners = [ListenerSettings]()
        var endpoints = [String: Int]()
        for element in container.children {
            guard element.name == "listener" else {
                report(element, "unexpected element inside <listeners>; expected <listener>")
                continue
            }
            var kind: ListenerSettings.Kind?
            var address = ListenerSettings.defaultAddress
            var port: Int?
            var options = [String: String]()
            var valid = true
            let attributes = element.attributes
            for attribute in attributes {
                switch attribute.name {
                case "type":
                    kind = ListenerSettings.Kind(rawValue: attribute.value)
                    if kind == nil {
                        report(element, "type '\(attribute.value)' must be console, http or feed")
                        valid = false
                    }
                case "address":
                    if attribute.value.allSatisfy(\.isWhitespace) {
                        report(element, "address must not be empty")
                        valid = false
                    } else {
                        address = attribute.value
                    }
                case "port":
                    if let number = Int(attribute.value), (0...65535).contains(number) {
                        port = number
                    } else {
                        report(element, "port '\(attribute.value)' must be an integer from 0 to 65535 (0: any free port)")
                        valid = false
                    }
                default:
                    options[attribute.name] = attribute.value
                }
            }
            if !attributes.contains(where: { $0.name == "type" }) {
                report(element, "missing type attribute (console or http)")
            }
            guard valid, let kind else { continue }
            guard validateListenerOptions(options, kind: kind, element: element) else { continue }
            // Certificate paths, like the journal's, are relative to the config file.
            if let sourcePath = document.sourcePath {
                let directory = (sourcePath as NSString).deletingLastPathComponent
                for name in ["ssl_cert", "ssl_key", "ssl_ca"] {
                    if let path = options[name], !path.hasPrefix("/"), !directory.isEmpty {
                        options[name] = (directory as NSString).appendingPathComponent(path)
                    }
                }
            }
            let listener = ListenerSettings(type: kind, address: address, port: port, options: options)
            let endpoint = "\(listener.address):\(listener.port)"
            // Port 0 takes any free port, so two such listeners never clash.
            if listener.port != 0, let first = endpoints[endpoint] {
                report(element, "\(endpoint) is already a listener at line \(first)")
                continue
            }
            endpoints[endpoint] = element.line
            listeners.append(listener)
        }
        return listeners
    }

    /// The options each kind of listener understands; anything else is a typo to report.
    static let listenerOptions: [ListenerSettings.Kind: [String]] = [
        .console: ["password", "idle_timeout", "max_sessions"],
        .http: ["ssl_cert", "ssl_key", "ssl_ca", "write_cn", "hosts"],
        .feed: ["ssl_cert", "ssl_key", "ssl_ca", "subscribers", "auto_subscribe"],
    ]

    private mutating func validateListenerOptions(_ options: [String: String], kind: ListenerSettings.Kind, element: ConfigElement) -> Bool {
        let allowed = Self.listenerOptions[kind] ?? []
        var valid = true
        for name in options.keys.sorted() where !allowed.contains(name) {
            report(element, "unknown attribute '\(name)' (allowed on a \(kind.rawValue) listener: type, address, port, \(allowed.joined(separator: ", ")))")
            valid = false
        }
        for name in ["idle_timeout", "max_sessions"] {
            if let text = options[name], (Int(text) ?? 0) <= 0 {
                report(element, "\(name) '\(text)' must be a positive integer")
                valid = false
            }
        }
        if (options["ssl_cert"] == nil) != (options["ssl_key"] == nil) {
            report(element, "ssl_cert and ssl_key go together")
            valid = false
        }
        if options["ssl_ca"] != nil || options["write_cn"] != nil, options["ssl_cert"] == nil {
            report(element, "ssl_ca and write_cn need TLS: set ssl_cert and ssl_key too")
            valid = false
        }
        if kind == .feed {
            for name in ["ssl_cert", "ssl_key", "ssl_ca"] where options[name] == nil {
                report(element, "a feed listener needs \(name): aggregators connect with TLS and client certificates only")
                valid = false
            }
            if let flag = options["auto_subscribe"], Self.booleans[flag] == nil {
                report(element, "auto_subscribe '\(flag)' must be one of true, false, on, off, yes, no, 1, 0")
                valid = false
            }
            for name in (options["subscribers"] ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
            where !name.isEmpty && !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
                report(element, "subscriber '\(name)' may hold only letters, digits, '.', '_' and '-'")
                valid = false
            }
        }
        if let hash = options["password"], !hash.hasPrefix("pbkdf2-sha256$") {
            report(element, "password must be a hash from `noitd --hash-password`, not the password itself")
            valid = false
        }
        return valid
    }
}
