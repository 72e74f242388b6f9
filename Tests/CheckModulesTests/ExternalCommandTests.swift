import Foundation
import NoitCore
import Testing

@testable import CheckModules

@Suite("external: command line and environment from config, without I/O")
struct ExternalCommandTests {
    func check(_ config: [String: String], target: String = "db1.example") -> CheckDefinition {
        CheckDefinition(
            uuid: UUID(uuidString: "1E8EDC38-0D88-11DE-93EE-AF2195EAB5D5")!, module: "external", target: target,
            name: "disk", periodMilliseconds: 60_000, timeoutMilliseconds: 5_000, config: config)
    }

    @Test("arguments are ordered by number, with gaps, after argv[0]")
    func argumentOrder() throws {
        let command = try ExternalCommand(check: check(["command": "/bin/echo", "arg10": "ten", "arg2": "two", "arg1": "one"]))
        #expect(command.path == "/bin/echo")
        #expect(command.arguments == ["/bin/echo", "one", "two", "ten"])
    }

    @Test("arg0 replaces argv[0] but not the program run")
    func argumentZero() throws {
        let command = try ExternalCommand(check: check(["command": "/bin/echo", "arg0": "check_echo", "arg1": "x"]))
        #expect(command.path == "/bin/echo")
        #expect(command.arguments == ["check_echo", "x"])
    }

    @Test("placeholders are replaced in arguments and environment; unknown ones stay")
    func interpolation() throws {
        let command = try ExternalCommand(
            check: check([
                "command": "/p", "arg1": "-H", "arg2": "%[target]", "arg3": "%[name]@%[module]:%[period]/%[timeout]",
                "arg4": "%[uuid]", "arg5": "%[nope] %[target", "env_HOST": "%[target]",
            ]))
        #expect(
            command.arguments == [
                "/p", "-H", "db1.example", "disk@external:60000/5000", "1e8edc38-0d88-11de-93ee-af2195eab5d5",
                "%[nope] %[target",
            ])
        #expect(command.environment.contains("HOST=db1.example"))
    }

    @Test("the environment is only PATH and the env_ keys")
    func environment() throws {
        let plain = try ExternalCommand(check: check(["command": "/p"]))
        #expect(plain.environment == ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
        let custom = try ExternalCommand(check: check(["command": "/p", "env_LANG": "C", "env_PATHS": "/opt/bin", "env_EMPTY": ""]))
        #expect(custom.environment == ["EMPTY=", "LANG=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "PATHS=/opt/bin"])
    }

    @Test("PATH and the dynamic loader's LD_* cannot be set: they would pick the program or its code")
    func loaderAndPathRefused() {
        for key in ["env_PATH", "env_LD_PRELOAD", "env_LD_LIBRARY_PATH", "env_LD_AUDIT", "env_1X", "env_A-B"] {
            #expect(throws: ExternalCommand.Invalid.self, "\(key)") {
                try ExternalCommand(check: check(["command": "/p", key: "/tmp/x"]))
            }
            let problems = ExternalModule.descriptor.problems(in: ["command": "/p", key: "/tmp/x"])
            #expect(problems.contains { $0.description.contains("config key '\(key)' is refused") }, "\(key): \(problems)")
        }
        #expect(ExternalModule.descriptor.problems(in: ["command": "/p", "env_ld_lower": "x", "env_PATHS": "x"]).isEmpty)
    }

    @Test("bad configs are refused with a clear reason")
    func invalid() {
        func reason(_ config: [String: String]) -> String? {
            do {
                _ = try ExternalCommand(check: check(config))
                return nil
            } catch {
                return error.reason
            }
        }
        #expect(reason(["command": "check_tcp"]) == "command must be an absolute path")
        #expect(reason([:]) == "command must be an absolute path")
        #expect(reason(["command": "/p", "argv": "x"]) == "config key 'argv' is not arg followed by a number")
        #expect(reason(["command": "/p", "arg01": "x"]) == "config key 'arg01' is not arg followed by a number")
        #expect(reason(["command": "/p", "env_A=B": "x"]) == "config key 'env_A=B' does not name an environment variable")
        #expect(reason(["command": "/p", "arg1": "a\u{0}b"]) == "command, arguments and environment must not contain NUL bytes")
    }

    @Test("the descriptor refuses unknown keys, a relative command and a bad output_limit")
    func descriptor() {
        let descriptor = ExternalModule.descriptor
        #expect(descriptor.problems(in: ["command": "/bin/true", "arg1": "x", "env_A": "b"]).isEmpty)
        #expect(descriptor.problems(in: [:]) == [.missingRequired("command")])
        #expect(descriptor.problems(in: ["command": "true"]).count == 1)
        #expect(descriptor.problems(in: ["command": "/bin/true", "output_limit": "lots"]).count == 1)
        #expect(descriptor.problems(in: ["command": "/bin/true", "shell": "yes"]).count == 1)
        #expect(descriptor.applyingDefaults(to: ["command": "/bin/true"])["output_limit"] == "65536")
    }
}
