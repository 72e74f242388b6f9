import Logging
import NIOCore

/// What modules may use from the node: event loops for I/O, a logger, and the node's own
/// status for `selfcheck`.
public struct ModuleEnvironment: Sendable {
    public var eventLoopGroup: any EventLoopGroup
    public var logger: Logger
    public var nodeStatus: @Sendable () async -> NodeStatus

    public init(
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        nodeStatus: @escaping @Sendable () async -> NodeStatus = { NodeStatus() }
    ) {
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.nodeStatus = nodeStatus
    }
}
