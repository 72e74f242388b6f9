#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Answers "does any process of this group still run code?".
///
/// `kill(-group, 0)` alone also counts zombies, and orphaned zombies are reaped by init on its
/// own schedule (seconds, under some container inits), which says nothing about whether the
/// command is still doing anything. On Linux, /proc tells zombies apart; elsewhere the
/// conservative `kill` answer is used.
enum ProcessGroupProbe {
    static func hasRunningMembers(_ group: pid_t) -> Bool {
        guard kill(-group, 0) == 0 else { return false }
        #if os(Linux)
        guard let directory = opendir("/proc") else { return true }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            guard Int32(name) != nil, let stat = readSmallFile("/proc/\(name)/stat") else { continue }
            if let (state, processGroup) = parseStat(stat), processGroup == group, state != "Z", state != "X" {
                return true
            }
        }
        return false
        #else
        return true
        #endif
    }

    /// State and process group from a `/proc/PID/stat` line. The command name (field 2) may hold
    /// spaces and parentheses, so parsing starts after the last `)`.
    static func parseStat(_ line: [UInt8]) -> (state: Character, processGroup: pid_t)? {
        guard let close = line.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = line[(close + 1)...].split(separator: UInt8(ascii: " "))
        guard fields.count >= 3, let stateByte = fields[0].first,
            let processGroup = pid_t(String(decoding: fields[2], as: UTF8.self))
        else { return nil }
        return (Character(Unicode.Scalar(stateByte)), processGroup)
    }

    private static func readSmallFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1_024)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return count > 0 ? Array(buffer[0..<count]) : nil
    }
}
