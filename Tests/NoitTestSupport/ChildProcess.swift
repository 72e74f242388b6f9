import Foundation
import Synchronization

/// A real program started by a test, whose stderr and stdout lines can be awaited.
public final class ChildProcess: Sendable {
    private let process: Process
    private let lines: AsyncStream<String>
    private let seen = Mutex<[String]>([])

    public init(executable: String, arguments: [String], currentDirectory: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        self.lines = stream
        self.process = process
        let handle = pipe.fileHandleForReading
        // A plain thread: the reads block, and must not hold a cooperative-pool thread.
        let reader = Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    continuation.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { continuation.yield(String(decoding: pending, as: UTF8.self)) }
            continuation.finish()
        }
        try process.run()
        reader.start()
    }

    public var pid: Int32 { process.processIdentifier }

    /// Waits for an output line containing `text`; nil if the output ends first.
    /// Lines read while waiting are kept and can be inspected with `output`.
    public func waitForLine(containing text: String) async -> String? {
        for await line in lines {
            seen.withLock { $0.append(line) }
            if line.contains(text) { return line }
        }
        return nil
    }

    public var output: [String] { seen.withLock { $0 } }

    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit and returns its status; drains the remaining output.
    public func waitForExit() async -> Int32 {
        for await line in lines { seen.withLock { $0.append(line) } }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
