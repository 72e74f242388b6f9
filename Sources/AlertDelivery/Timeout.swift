/// Bounds an async operation by a wall-clock budget by racing it against a sleep; the loser is
/// cancelled. Needed on top of AsyncHTTPClient's deadline, which stops at the response head and
/// does not cover reading the body.
enum Timeout {
    struct Expired: Error {}

    static func run<T: Sendable>(milliseconds: Int64, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask(operation: operation)
            group.addTask {
                try await Task.sleep(for: .milliseconds(milliseconds))
                throw Expired()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw Expired() }
            return first
        }
    }
}
