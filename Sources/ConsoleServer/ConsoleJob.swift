/// A command line to run, handed from whichever task resolved it to the session's runner.
struct ConsoleJob: Sendable {
    var command: ConsoleCommand
    var arguments: [String]
}
