import Foundation

/// Where a session is. The node interprets paths and chooses prompts and command trees per
/// mode; the transport only ever changes it on Ctrl-Z, back to `.exec`.
public enum ConsoleMode: Sendable, Equatable {
    /// The top level (`noit# `).
    case exec
    /// Configuration mode at a path of the config tree, e.g. `"/checks"`.
    case configure(path: String)
    /// Inside one check; `label` is what the prompt shows (e.g. "127.0.0.1`tcp"), `path`
    /// the config path the check lives under.
    case check(id: UUID, label: String, path: String)
}
