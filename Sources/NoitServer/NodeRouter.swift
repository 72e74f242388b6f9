import Hummingbird

/// The node's HTTP endpoints. `/metrics` now; the REST API joins it in a later issue.
public func buildNodeRouter(node: NoitNode) -> Router<BasicRequestContext> {
    let router = Router()
    router.get("/metrics") { _, _ -> Response in
        await node.refreshGauges()
        var buffer = [UInt8]()
        node.metrics.emit(into: &buffer)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
    return router
}
