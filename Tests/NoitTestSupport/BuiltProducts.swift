import Foundation

/// Executables of this package, as built beside the test bundle.
public enum BuiltProducts {
    /// The path of `name` (e.g. `noitd`), or nil when it was not built.
    public static func executable(_ name: String) -> String? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path,
            FileManager.default.currentDirectoryPath + "/.build/debug/\(name)",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
