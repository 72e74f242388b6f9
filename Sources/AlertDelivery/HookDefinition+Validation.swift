extension HookDefinition {
    /// Checks everything that can be checked without a network, so that a broken hook is refused
    /// when the configuration is loaded rather than discovered when an alert fires.
    ///
    /// ``HookSender/deliver(_:to:nowMs:)`` runs the same checks and answers
    /// `.rejected(status: 0, ...)` for a hook that fails them, since retrying cannot help.
    public func validate() throws(HookConfigurationError) {
        func fail(_ problem: HookConfigurationError.Problem) -> HookConfigurationError {
            HookConfigurationError(hookName: name, problem: problem)
        }
        if name.isEmpty { throw fail(.emptyName) }
        switch kind {
        case .pagerDuty(let url, let routingKey):
            if timeoutMs <= 0 { throw fail(.nonPositiveTimeout) }
            _ = try HookURL(url, hookName: name)
            if routingKey.isEmpty { throw fail(.emptyRoutingKey) }
            if routingKey.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
                throw fail(.invalidRoutingKey)
            }
        case .webhook(let url, let headers):
            if timeoutMs <= 0 { throw fail(.nonPositiveTimeout) }
            _ = try HookURL(url, hookName: name)
            for (headerName, value) in headers.sorted(by: { $0.key < $1.key }) {
                if !HTTPToken.isValid(headerName) { throw fail(.invalidHeaderName(headerName)) }
                if value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) {
                    throw fail(.invalidHeaderValue(headerName: headerName))
                }
            }
        case .alertmanager(let url, let resolveTimeoutMs):
            if timeoutMs <= 0 { throw fail(.nonPositiveTimeout) }
            _ = try HookURL(url, hookName: name)
            if let resolveTimeoutMs, resolveTimeoutMs <= 0 { throw fail(.nonPositiveResolveTimeout) }
        case .command(let path, let arguments, let commandTimeoutMs):
            if commandTimeoutMs <= 0 { throw fail(.nonPositiveTimeout) }
            if !path.hasPrefix("/") || path.utf8.contains(0) { throw fail(.relativeCommandPath) }
            if let index = arguments.firstIndex(where: { $0.utf8.contains(0) }) {
                throw fail(.invalidCommandArgument(index: index))
            }
        }
    }
}
