import NoitCore

/// The one-call way the node reads its configuration at start and on SIGHUP.
public enum ConfigLoader {
    /// Reads, parses and resolves the configuration file at `path`.
    /// - Throws: a ``ConfigError`` listing every problem found.
    public static func load(path: String, modules: (String) -> ModuleDescriptor?) throws(ConfigError) -> NoitConfiguration {
        try ConfigDocument(contentsOfFile: path).resolve(modules: modules)
    }
}
