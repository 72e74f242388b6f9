import AsyncHTTPClient
import ServiceLifecycle

/// Keeps the hooks' HTTP client for the life of the group and shuts it down after the
/// services that use it (it is earlier in the group, so it stops later).
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
