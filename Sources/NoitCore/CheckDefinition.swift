import Foundation

/// Everything the node needs to know to run one check, with inheritance already resolved.
public struct CheckDefinition: Hashable, Sendable {
    public var uuid: UUID
    public var module: String
    public var target: String
    /// Defaults to the module's name; `target` + `name` is unique on a node.
    public var name: String
    public var periodMilliseconds: Int64
    public var timeoutMilliseconds: Int64
    public var disabled: Bool
    public var filterset: String?
    /// Configuration version: an update with a lower or equal `seq` is refused.
    public var seq: Int64
    /// Module configuration, merged root-down (children override parents, templates included).
    public var config: [String: String]

    public init(
        uuid: UUID,
        module: String,
        target: String,
        name: String? = nil,
        periodMilliseconds: Int64,
        timeoutMilliseconds: Int64,
        disabled: Bool = false,
        filterset: String? = nil,
        seq: Int64 = 0,
        config: [String: String] = [:]
    ) {
        self.uuid = uuid
        self.module = module
        self.target = target
        self.name = name ?? module
        self.periodMilliseconds = periodMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.disabled = disabled
        self.filterset = filterset
        self.seq = seq
        self.config = config
    }

    /// The `C` record announcing this definition.
    public func checkRecord(at timestamp: Timestamp) -> Record {
        .check(timestamp: timestamp, uuid: uuid, target: target, module: module, name: name)
    }

    /// The console's and the prompt's short name for a check: ``target`name``.
    public var displayName: String { "\(target)`\(name)" }
}
