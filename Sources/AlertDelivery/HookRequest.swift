/// What to send for one notification to one hook; built purely by ``HookRequestBuilder``.
public enum HookRequest: Sendable, Equatable {
    case http(method: String, url: String, headers: HookHeaders, body: [UInt8])
    /// `environment` holds the alert's variables only; ``HookSender`` adds the parent's `PATH` when it
    /// spawns the process, so building stays independent of the process environment.
    case command(path: String, arguments: [String], environment: [String: String])
}
