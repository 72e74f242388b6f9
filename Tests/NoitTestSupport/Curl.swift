import Foundation

/// Runs Debian's curl as an operator would, without blocking a Swift concurrency thread:
/// a blocking wait in a test would hold one of the few cooperative threads that the server
/// under test needs to answer that very request.
public enum Curl {
    public struct Outcome: Sendable {
        public var exitCode: Int32
        /// The HTTP status, 0 when no response arrived.
        public var status: Int
        public var body: String
    }

    /// `curl -sS --max-time 120 ARGUMENTS`, with the body and status captured. 120 s only guards a
    /// hang: a server in a loaded test run has been starved for 20 s.
    public static func run(_ arguments: [String]) async throws -> Outcome {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sS", "--max-time", "120", "-o", output.path, "-w", "%{http_code}"] + arguments
        let status = Pipe()
        process.standardOutput = status
        process.standardError = FileHandle.nullDevice
        let exitCode: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let code = String(decoding: status.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let body = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return Outcome(exitCode: exitCode, status: Int(code) ?? 0, body: body)
    }

    /// The body of a request that must succeed at the transport level.
    public static func body(_ arguments: [String]) async throws -> String {
        try await run(arguments).body
    }
}
