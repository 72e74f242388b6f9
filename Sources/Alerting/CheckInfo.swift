import Foundation

/// What rules select on and alerts name: a check's current definition.
public struct CheckInfo: Sendable, Equatable {
    public var uuid: UUID
    public var name: String
    public var target: String
    public var module: String
    public var noit: String

    public init(uuid: UUID, name: String, target: String, module: String, noit: String) {
        self.uuid = uuid
        self.name = name
        self.target = target
        self.module = module
        self.noit = noit
    }
}
