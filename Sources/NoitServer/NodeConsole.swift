import CheckModules
import Console
import ConsoleServer
import Foundation
import NoitConfig
import NoitCore

/// The node's console: prompts and the command tree of each mode (REFERENCE §7). The trees
/// are data, built once; completers read the running config when Tab or `?` is pressed.
/// Every change goes through ``NoitNode/change(by:_:_:)``, exactly like the REST API's.
public final class NodeConsole: ConsoleCommandSource {
    let node: NoitNode
    private let execTree: CommandTree<ConsoleCommand>
    private let configureTree: CommandTree<ConsoleCommand>
    private let checkTree: CommandTree<ConsoleCommand>

    public init(node: NoitNode) {
        self.node = node
        let words = ConsoleWords(node: node)
        var exec = CommandTree<ConsoleCommand>()
        var configure = CommandTree<ConsoleCommand>()
        var check = CommandTree<ConsoleCommand>()
        // Each subsystem registers its own commands into the trees of the modes it serves.
        Self.registerShow(into: &exec, node: node, words: words)
        Self.registerShow(into: &configure, node: node, words: words)
        Self.registerShow(into: &check, node: node, words: words)
        Self.registerExec(into: &exec, node: node, words: words)
        Self.registerCommon(into: &configure, node: node)
        Self.registerCommon(into: &check, node: node)
        Self.registerConfigure(into: &configure, node: node, words: words)
        Self.registerEditing(into: &configure, node: node, words: words)
        Self.registerEditing(into: &check, node: node, words: words)
        Self.registerCheckMode(into: &check, node: node)
        self.execTree = exec
        self.configureTree = configure
        self.checkTree = check
    }

    public func prompt(for session: ConsoleSession) -> String {
        switch session.mode {
        case .exec: "noit# "
        case .configure(let path): "noit(conf:\(path))# "
        case .check(_, let label, _): "noit(\(label))# "
        }
    }

    public func commands(for session: ConsoleSession) -> CommandTree<ConsoleCommand> {
        switch session.mode {
        case .exec: execTree
        case .configure: configureTree
        case .check: checkTree
        }
    }

    /// Who made a change, for the audit line.
    static func author(_ session: ConsoleSession) -> String { "console \(session.peer)" }

    /// Writes a refusal as the console writes every error: `% ` and one line per problem.
    static func refuse(_ session: ConsoleSession, _ error: any Error) async {
        let text = (error as? ConfigChangeError)?.description ?? (error as? ConfigEditError)?.message ?? "\(error)"
        await session.write(text.split(separator: "\n", omittingEmptySubsequences: false).map { "% \($0)\n" }.joined())
    }

    /// The place the session's edits apply to.
    static func place(of session: ConsoleSession) -> ConfigPlace {
        switch session.mode {
        case .exec: .section("/")
        case .configure(let path): .section(path)
        case .check(let id, _, _): .check(id)
        }
    }

    static func path(of session: ConsoleSession) -> String {
        switch session.mode {
        case .exec: "/"
        case .configure(let path): path
        case .check(_, _, let path): path
        }
    }
}
