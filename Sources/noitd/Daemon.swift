import ArgumentParser
import CheckModules
import Foundation
import NoitConfig

#if canImport(Glibc)
import Glibc
#endif

/// Detaching without fork(): a multithreaded process must not fork, so the node re-executes
/// itself with `--foreground` in a new session, its output sent to the log file.
enum Daemon {
    static func detach(validating configPath: String, logFile: String) throws {
        // Refuse a bad config here, where the operator can still see the error.
        do {
            _ = try ConfigLoader.load(path: configPath, modules: { ModuleRegistry.standardDescriptors[$0] })
        } catch {
            FileHandle.standardError.write(Data("noitd: configuration refused:\n\(error)\n".utf8))
            throw ExitCode(78)
        }
        let arguments = CommandLine.arguments + ["--foreground"]
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID is a GNU extension the Glibc module does not import; glibc defines it as 0x80.
        let spawnSetSID: Int16 = 0x80
        posix_spawnattr_setflags(&attributes, spawnSetSID)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o640)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, "/proc/self/exe", &actions, &attributes, argv, environ)
        guard rc == 0 else {
            FileHandle.standardError.write(Data("noitd: cannot detach: \(String(cString: strerror(rc)))\n".utf8))
            throw ExitCode.failure
        }
        print("noitd detached as pid \(pid); logging to \(logFile)")
    }
}
