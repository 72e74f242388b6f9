import Testing

@testable import Console

private let uuids = [
    "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
    "1b4e28ba-2fa1-11d2-883f-0016d3cca428",
    "9f0c1d2e-0000-4000-8000-000000000001",
]

private let uuid = CommandWord.parameter(
    "uuid",
    help: "Check UUID",
    completer: { prefix in uuids.filter { $0.hasPrefix(prefix.lowercased()) } },
    validator: { word in word.count == 36 && word.allSatisfy { $0.isHexDigit || $0 == "-" } }
)

private func k(_ word: String, _ help: String = "") -> CommandWord { .keyword(word, help: help) }

/// A tree the way subsystems would build it: each registers its own paths.
private func makeTree() -> CommandTree<String> {
    var tree = CommandTree<String>()
    tree.register(path: [k("show", "Show running system information"), k("checks", "List checks")], action: "show.checks")
    tree.register(path: [k("show"), k("check", "Show one check"), uuid], action: "show.check")
    tree.register(path: [k("show"), k("version", "Show the version")], action: "show.version")
    tree.register(path: [k("shutdown", "Stop the node")], action: "shutdown")
    tree.register(path: [k("configure", "Enter configuration mode"), k("terminal", "From the terminal")], action: "conf.t")
    tree.register(path: [k("watch", "Watch a check"), uuid, .parameter("ms", help: "Period in ms", validator: { Int($0) != nil })], action: "watch")
    tree.register(path: [k("write", "Save"), k("memory", "To the config file")], action: "write.mem")
    tree.register(path: [k("exit", "Leave this mode")], action: "exit")
    return tree
}

@Suite struct CommandTreeTests {
    @Test func aTextParameterTakesTheRestOfTheLine() {
        var tree = CommandTree<String>()
        tree.register(path: [k("config", "Set a key"), .parameter("key", help: "Key"), .text("value", help: "Value")], action: "config")
        #expect(tree.resolve("conf command /usr/lib/check_x  -H   host") == .command("config", arguments: ["command", "/usr/lib/check_x -H host"]))
        #expect(tree.resolve("config key one") == .command("config", arguments: ["key", "one"]))
        #expect(tree.resolve("config key") == .incomplete)
        #expect(tree.help(for: "config key some words ").map(\.0) == ["<cr>"])
    }

    @Test func abbreviationsResolve() {
        let tree = makeTree()
        #expect(tree.resolve("sh ch") == .command("show.checks", arguments: []))
        #expect(tree.resolve("sh ch \(uuids[1])") == .command("show.check", arguments: [uuids[1]]))
        #expect(tree.resolve("sh check") == .incomplete)
        #expect(tree.resolve("sh bogus") == .ambiguous(word: "sh", candidates: ["show", "shutdown"], position: 0))
        #expect(tree.resolve("sh ver extra") == .invalid(position: 7))
        #expect(tree.resolve("sh ch nonsense") == .ambiguous(word: "ch", candidates: ["check", "checks"], position: 3))
        #expect(tree.resolve("sh checks") == .command("show.checks", arguments: []))
        #expect(tree.resolve("  SH   VER ") == .command("show.version", arguments: []))
        #expect(tree.resolve("conf t") == .command("conf.t", arguments: []))
        #expect(tree.resolve("wr mem") == .command("write.mem", arguments: []))
        #expect(tree.resolve("watch \(uuids[0]) 500") == .command("watch", arguments: [uuids[0], "500"]))
        #expect(tree.resolve("") == .empty)
        #expect(tree.resolve("   ") == .empty)
    }

    @Test func shChIsShowChecksWhenUnambiguous() {
        var tree = CommandTree<String>()
        tree.register(path: [k("show"), k("checks")], action: "show.checks")
        tree.register(path: [k("show"), k("version")], action: "show.version")
        tree.register(path: [k("shutdown")], action: "shutdown")
        #expect(tree.resolve("sh ch") == .command("show.checks", arguments: []))
    }

    @Test func exactMatchWinsOverLongerCandidates() {
        let tree = makeTree()
        #expect(tree.resolve("show check \(uuids[2])") == .command("show.check", arguments: [uuids[2]]))
        #expect(tree.resolve("show checks") == .command("show.checks", arguments: []))
        #expect(tree.resolve("show check") == .incomplete)
    }

    @Test func ambiguousPrefix() {
        let tree = makeTree()
        #expect(tree.resolve("s") == .ambiguous(word: "s", candidates: ["show", "shutdown"], position: 0))
        #expect(tree.resolve("sh") == .ambiguous(word: "sh", candidates: ["show", "shutdown"], position: 0))
        #expect(tree.resolve("shu") == .command("shutdown", arguments: []))
    }

    @Test func invalidWordPositionAndCaret() {
        let tree = makeTree()
        let line = "show  bogus"
        #expect(tree.resolve(line) == .invalid(position: 6))
        #expect(CommandTree<String>.caretLine(for: line, position: 6) == "      ^")
        #expect(tree.resolve("frobnicate") == .invalid(position: 0))
        #expect(tree.resolve("exit now") == .invalid(position: 5))
        #expect(tree.resolve("show check not-a-uuid") == .invalid(position: 11))
        #expect(tree.resolve("watch \(uuids[0]) soon") == .invalid(position: 43))
        #expect(CommandTree<String>.caretLine(for: "\tab", position: 2) == "\t ^")
        #expect(CommandTree<String>.caretLine(for: "ab", position: 4) == "    ^")
    }

    @Test func incompleteCommand() {
        let tree = makeTree()
        #expect(tree.resolve("show") == .incomplete)
        #expect(tree.resolve("conf") == .incomplete)
        #expect(tree.resolve("watch \(uuids[0])") == .incomplete)
    }

    @Test func helpListsWhatMayFollow() {
        let tree = makeTree()
        let top = tree.help(for: "").map(\.0)
        #expect(top == ["configure", "exit", "show", "shutdown", "watch", "write"])
        #expect(tree.help(for: "sh").map(\.0) == ["show", "shutdown"])
        let show = tree.help(for: "sh ")
        #expect(show.map(\.0) == ["check", "checks", "version"])
        #expect(show.first?.1 == "Show one check")
        #expect(tree.help(for: "show ch").map(\.0) == ["check", "checks"])
        #expect(tree.help(for: "show check ").map(\.0) == ["<uuid>"])
        #expect(tree.help(for: "show check 1b4").map(\.0) == ["<uuid>"])
        #expect(tree.help(for: "show check zz").isEmpty)
        #expect(tree.help(for: "show version ").map(\.0) == ["<cr>"])
        #expect(tree.help(for: "sh ch ").map(\.0) == ["<uuid>"])  // Only `check` takes more words.
        #expect(tree.help(for: "s").map(\.0) == ["show", "shutdown"])
        #expect(tree.help(for: "bogus ").isEmpty)
    }

    @Test func tabCompletesWords() {
        let tree = makeTree()
        #expect(tree.complete("conf") == .completed(line: "configure "))
        #expect(tree.complete("conf t") == .completed(line: "conf terminal "))
        #expect(tree.complete("sh") == .partial(line: "sh", candidates: ["show", "shutdown"]))
        #expect(tree.complete("s") == .partial(line: "sh", candidates: ["show", "shutdown"]))
        #expect(tree.complete("show ch") == .partial(line: "show check", candidates: ["check", "checks"]))
        #expect(tree.complete("show v") == .completed(line: "show version "))
        #expect(tree.complete("show version ") == .noMatch)
        #expect(tree.complete("bogus x") == .noMatch)
        #expect(tree.complete("zz") == .noMatch)
        #expect(tree.complete("") == .partial(line: "", candidates: ["configure", "exit", "show", "shutdown", "watch", "write"]))
    }

    @Test func tabCompletesUUIDParameter() {
        let tree = makeTree()
        #expect(tree.complete("sh check 9f") == .completed(line: "sh check \(uuids[2]) "))
        #expect(tree.complete("watch 1b4e") == .partial(line: "watch 1b4e28ba-2fa1-11d2-883f-0016d3cca42", candidates: [uuids[0], uuids[1]]))
        #expect(tree.complete("watch ") == .partial(line: "watch ", candidates: uuids.sorted()))
        #expect(tree.complete("watch 7") == .noMatch)
    }

    @Test func registrationsMergeSharedPrefixes() {
        var tree = CommandTree<Int>()
        tree.register(path: [.keyword("show", help: "")], action: 0)
        tree.register(path: [.keyword("show", help: "Show things"), .keyword("checks", help: "")], action: 1)
        tree.register(path: [.keyword("SHOW", help: ""), .keyword("version", help: "")], action: 2)
        #expect(tree.help(for: "").map(\.0) == ["show"])
        #expect(tree.help(for: "").first?.1 == "Show things")
        #expect(tree.resolve("show") == .command(0, arguments: []))
        #expect(tree.resolve("show c") == .command(1, arguments: []))
        #expect(tree.resolve("show v") == .command(2, arguments: []))
        tree.register(path: [.keyword("show", help: ""), .keyword("version", help: "")], action: 3)
        #expect(tree.resolve("show v") == .command(3, arguments: []))
        #expect(tree.help(for: "show ").map(\.0) == ["checks", "version", "<cr>"])
    }

    @Test func keywordBeatsParameter() {
        var tree = CommandTree<String>()
        tree.register(path: [k("check"), k("new")], action: "new")
        tree.register(path: [k("check"), .parameter("name", help: "")], action: "enter")
        #expect(tree.resolve("check n") == .command("new", arguments: []))
        #expect(tree.resolve("check other") == .command("enter", arguments: ["other"]))
    }
}
