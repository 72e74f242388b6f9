/// A node of the command tree: a word, what may follow it, and what to run if the line
/// stops here. A value type so the whole tree is `Sendable` and copy-on-write.
struct CommandNode<Action: Sendable>: Sendable {
    var word: CommandWord
    var children: [CommandNode] = []
    var action: Action?
}
