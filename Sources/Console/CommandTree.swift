/// The console's grammar as data: subsystems `register` their command paths into one
/// shared tree (`show checks` and `show version` share `show`), and the session asks it to
/// `resolve` a line, list `help` for `?`, and `complete` for Tab. Pure: no I/O.
///
/// Matching rules, per word, among the children of the node reached so far:
/// 1. a keyword equal to the word (case-insensitively) wins, even over longer keywords
///    it prefixes (`show` vs `showall`);
/// 2. otherwise keywords the word prefixes: one is a match, several are ambiguous —
///    unless exactly one of them lets the rest of the line resolve, when there is a rest
///    or the candidates only differ by length. So `sh ch` runs `show checks` next to
///    `shutdown` and `show check <uuid>`, while a bare `s` or `sh` stays ambiguous;
/// 3. otherwise the first parameter whose validator accepts the word.
/// Keywords take priority over parameters so `check new` is not read as `check <uuid>`.
public struct CommandTree<Action: Sendable>: Sendable {
    public typealias Resolution = CommandResolution<Action>
    public typealias Completion = CommandCompletion

    private var root = CommandNode<Action>(word: .keyword("", help: ""))

    public init() {}

    /// Add `path` with `action` at its end, sharing existing prefixes. Registering the same
    /// path again replaces its action; a word registered again with non-empty help updates it.
    public mutating func register(path: [CommandWord], action: Action) {
        precondition(!path.isEmpty, "a command needs at least one word")
        Self.insert(path[...], action: action, into: &root)
    }

    private static func insert(_ path: ArraySlice<CommandWord>, action: Action, into node: inout CommandNode<Action>) {
        guard let word = path.first else {
            node.action = action
            return
        }
        let index: Int
        if let existing = node.children.firstIndex(where: { $0.word.mergeKey == word.mergeKey }) {
            index = existing
            if !word.help.isEmpty { node.children[index].word = word }
        } else {
            node.children.append(CommandNode(word: word))
            index = node.children.count - 1
        }
        insert(path.dropFirst(), action: action, into: &node.children[index])
    }

    // MARK: Resolve

    public func resolve(_ line: String) -> Resolution {
        let tokens = CommandToken.split(line)
        guard !tokens.isEmpty else { return .empty }
        switch walk(tokens[...], from: root, arguments: [], needsAction: true, expectsMore: false) {
        case .failed(let resolution):
            return resolution
        case .reached(let node, let arguments):
            guard let action = node.action else { return .incomplete }
            return .command(action, arguments: arguments)
        }
    }

    private enum Walk {
        case reached(CommandNode<Action>, arguments: [String])
        case failed(Resolution)
    }

    private enum Match {
        case one(Int)
        case ambiguous([Int])
        case none
    }

    /// Walk the words before the one being typed (help, completion): more words follow.
    private func walk(_ tokens: ArraySlice<CommandToken>) -> Walk {
        walk(tokens, from: root, arguments: [], needsAction: false, expectsMore: true)
    }

    /// - needsAction: the walk must end on a runnable node (resolving a whole line).
    /// - expectsMore: the walk must end on a node that accepts further words.
    /// Both only matter for disambiguation, see `disambiguate`.
    private func walk(
        _ tokens: ArraySlice<CommandToken>,
        from start: CommandNode<Action>,
        arguments initialArguments: [String],
        needsAction: Bool,
        expectsMore: Bool
    ) -> Walk {
        var node = start
        var arguments = initialArguments
        var rest = tokens
        while let token = rest.first {
            rest = rest.dropFirst()
            switch Self.match(token.text, among: node.children) {
            case .none:
                return .failed(.invalid(position: token.position))
            case .ambiguous(let indices):
                let names = indices.map { node.children[$0].word.display }.sorted()
                let lengthOnly = names.allSatisfy { $0.lowercased().hasPrefix(names.min(by: { $0.count < $1.count })!.lowercased()) }
                // Let what follows decide only when something follows (`sh ch`: `shutdown`
                // takes no words, so `sh` is `show`), or when the candidates only differ by
                // length (`check <uuid>` vs `checks`). A bare `s` or `sh` stays ambiguous:
                // guessing there could run `shutdown`.
                if !rest.isEmpty || expectsMore || lengthOnly {
                    let results = indices.map { index in
                        walk(rest, from: node.children[index], arguments: arguments,
                             needsAction: needsAction, expectsMore: expectsMore)
                    }
                    let viable = results.filter { result in
                        guard case .reached(let end, _) = result else { return false }
                        return (!needsAction || end.action != nil) && (!expectsMore || !end.children.isEmpty)
                    }
                    if viable.count == 1 { return viable[0] }
                    // None fits: if one candidate got strictly further, its error is the
                    // useful one (`sh ch nonsense` is about `ch`, not `sh`).
                    if viable.isEmpty {
                        let best = results.map(Self.progress).max()!
                        let leaders = results.filter { Self.progress($0) == best }
                        if leaders.count == 1, best > 2 * token.position + 1 { return leaders[0] }
                    }
                }
                return .failed(.ambiguous(word: token.text, candidates: names, position: token.position))
            case .one(let index):
                node = node.children[index]
                if node.word.takesRestOfLine {
                    arguments.append(([token] + rest).map(\.text).joined(separator: " "))
                    rest = []
                } else if case .parameter = node.word.kind {
                    arguments.append(token.text)
                }
            }
        }
        return .reached(node, arguments: arguments)
    }

    /// How far a walk got, for choosing which failure to report: reaching the end beats any
    /// failure, a later word beats an earlier one, and an ambiguous word (it matched
    /// something) beats an invalid one at the same place.
    private static func progress(_ walk: Walk) -> Int {
        switch walk {
        case .reached: Int.max
        case .failed(.ambiguous(_, _, let position)): 2 * position + 1
        case .failed(.invalid(let position)): 2 * position
        case .failed: 0
        }
    }

    private static func match(_ word: String, among children: [CommandNode<Action>]) -> Match {
        let lowered = word.lowercased()
        if let exact = children.firstIndex(where: { $0.word.keyword?.lowercased() == lowered }) {
            return .one(exact)
        }
        let prefixed = children.indices.filter { children[$0].word.keyword?.lowercased().hasPrefix(lowered) ?? false }
        if prefixed.count == 1 { return .one(prefixed[0]) }
        if prefixed.count > 1 { return .ambiguous(prefixed) }
        if let parameter = children.firstIndex(where: { $0.word.keyword == nil && $0.word.validator(word) }) {
            return .one(parameter)
        }
        return .none
    }

    // MARK: Help and completion

    /// The line split into the words before the one being typed, and that partial word
    /// (empty when the line is empty or ends in whitespace).
    private func splitForCompletion(_ line: String) -> (done: ArraySlice<CommandToken>, partial: String, head: Substring) {
        let tokens = CommandToken.split(line)
        if let last = tokens.last, let end = line.last, end != " ", end != "\t" {
            return (tokens.dropLast(), last.text, line[..<last.start])
        }
        return (tokens[...], "", line[...])
    }

    /// What may come next, as (word, one-line help), for `?` anywhere on the line. Mid-word
    /// (`sh?`) lists only the words starting with the partial word. `<cr>` is listed when
    /// the line is already a complete command. Empty if an earlier word is invalid or
    /// ambiguous (the caller then reports it via `resolve`).
    public func help(for line: String) -> [(String, String)] {
        let (done, partial, _) = splitForCompletion(line)
        guard case .reached(let node, _) = walk(done) else { return [] }
        let lowered = partial.lowercased()
        var entries: [(String, String)] = []
        for child in node.children {
            if let keyword = child.word.keyword {
                if keyword.lowercased().hasPrefix(lowered) { entries.append((keyword, child.word.help)) }
            } else if partial.isEmpty
                || child.word.validator(partial)
                || child.word.completer(partial).contains(where: { $0.lowercased().hasPrefix(lowered) })
            {
                entries.append((child.word.display, child.word.help))
            }
        }
        entries.sort { $0.0 < $1.0 }
        if partial.isEmpty, node.action != nil, !done.isEmpty {
            entries.append(("<cr>", "Run this command"))
        }
        return entries
    }

    /// Tab completion of the word being typed. Keywords complete by prefix; parameters ask
    /// their completer (e.g. check UUIDs from a prefix).
    public func complete(_ line: String) -> Completion {
        let (done, partial, head) = splitForCompletion(line)
        guard case .reached(let node, _) = walk(done) else { return .noMatch }
        let lowered = partial.lowercased()
        var candidates: [String] = []
        for child in node.children {
            if let keyword = child.word.keyword {
                candidates.append(keyword)
            } else {
                candidates += child.word.completer(partial)
            }
        }
        candidates = Array(Set(candidates.filter { $0.lowercased().hasPrefix(lowered) })).sorted()
        switch candidates.count {
        case 0:
            return .noMatch
        case 1:
            return .completed(line: head + candidates[0] + " ")
        default:
            // An exact word that prefixes others (`show`, `showall`) still lists them all,
            // as routers do; `resolve` is where the exact match wins.
            return .partial(line: head + Self.commonPrefix(candidates, atLeast: partial), candidates: candidates)
        }
    }

    private static func commonPrefix(_ words: [String], atLeast partial: String) -> String {
        guard var prefix = words.first.map(Array.init) else { return partial }
        for word in words.dropFirst() {
            let characters = Array(word)
            var length = 0
            while length < prefix.count, length < characters.count,
                  prefix[length].lowercased() == characters[length].lowercased() {
                length += 1
            }
            prefix = Array(prefix[..<length])
        }
        return prefix.count >= partial.count ? String(prefix) : partial
    }

    /// A line with a `^` under `position` (a `Character` offset into `line`), keeping tabs
    /// so the caret lines up under the echoed line. The caller prefixes the prompt's width.
    public static func caretLine(for line: String, position: Int) -> String {
        var caret = ""
        for character in line.prefix(max(0, position)) {
            caret.append(character == "\t" ? "\t" : " ")
        }
        let missing = max(0, position - line.count)
        return caret + String(repeating: " ", count: missing) + "^"
    }
}
