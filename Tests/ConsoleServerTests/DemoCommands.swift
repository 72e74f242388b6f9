import Console
import ConsoleServer
import Foundation

/// A small command source standing in for the node: enough commands to exercise every
/// transport feature (paging, keys, confirm, modes, logout).
struct DemoCommands: ConsoleCommandSource {
    func prompt(for session: ConsoleSession) -> String {
        switch session.mode {
        case .exec: "noit# "
        case .configure(let path): "noit(conf:\(path))# "
        case .check(_, let label, _): "noit(\(label))# "
        }
    }

    func commands(for session: ConsoleSession) -> CommandTree<ConsoleCommand> {
        session.mode == .exec ? Self.exec : Self.configure
    }

    static let exec: CommandTree<ConsoleCommand> = {
        var tree = CommandTree<ConsoleCommand>()
        tree.register(path: [.keyword("show", help: "Show running system information"), .keyword("version", help: "Software version")],
                      action: ConsoleCommand { session, _ in await session.write("noitd test 0.1\n") })
        tree.register(path: [.keyword("show", help: ""), .keyword("values", help: "One hundred numbered lines")],
                      action: ConsoleCommand { session, _ in
                          for number in 1...100 {
                              guard await session.write("value \(number)\n") else {
                                  await session.write("(stopped)\n")  // returns false too: nothing shows
                                  return
                              }
                          }
                          await session.write("values done\n")
                      })
        tree.register(path: [.keyword("show", help: ""), .keyword("terminal", help: "Terminal settings")],
                      action: ConsoleCommand { session, _ in
                          await session.write("width \(session.width) height \(session.height) length \(session.pageLength) session \(session.id)\n")
                      })
        tree.register(path: [.keyword("show", help: ""), .keyword("check", help: "One check"), .parameter("uuid", help: "Check id", completer: { _ in [Self.checkID] })],
                      action: ConsoleCommand { session, arguments in await session.write("check \(arguments[0])\n") })
        tree.register(path: [.keyword("show", help: ""), .keyword("flood", help: "Ten megabytes of output")],
                      action: ConsoleCommand { session, _ in
                          let line = String(repeating: "x", count: 1023) + "\n"
                          for _ in 0..<10240 { guard await session.write(line) else { return } }
                      })
        tree.register(path: [.keyword("shutdown", help: "Stop the node")], action: ConsoleCommand { session, _ in await session.write("not really\n") })
        tree.register(path: [.keyword("configure", help: "Enter configuration mode"), .keyword("terminal", help: "From the terminal")],
                      action: ConsoleCommand { session, _ in session.mode = .configure(path: "/") })
        tree.register(path: [.keyword("terminal", help: "Terminal settings"), .keyword("length", help: "Lines per page"), .parameter("lines", help: "0 for no paging", validator: { Int($0) != nil })],
                      action: ConsoleCommand { session, arguments in session.pageLength = Int(arguments[0]) ?? 0 })
        tree.register(path: [.keyword("watch", help: "Stream ticks until a key is pressed")],
                      action: ConsoleCommand { session, _ in
                          let key = await withTaskGroup(of: UInt8?.self) { group -> UInt8? in
                              group.addTask { await session.nextKey() ?? 0 }
                              group.addTask {
                                  var tick = 0
                                  while !Task.isCancelled {
                                      tick += 1
                                      guard await session.write("tick \(tick)\n") else { break }
                                      try? await session.clock.sleep(for: .milliseconds(20))
                                  }
                                  return nil
                              }
                              let first = await group.next() ?? nil
                              group.cancelAll()
                              return first
                          }
                          await session.write("watch stopped by \(key.map { String($0) } ?? "nothing")\n")
                      })
        tree.register(path: [.keyword("reload", help: "Reload the configuration")],
                      action: ConsoleCommand { session, _ in
                          await session.write(await session.confirm("Proceed with reload?") ? "reloading\n" : "reload cancelled\n")
                      })
        tree.register(path: [.keyword("exit", help: "Leave the console")], action: ConsoleCommand { session, _ in
            await session.write("bye\n")
            session.logout()
        })
        return tree
    }()

    static let configure: CommandTree<ConsoleCommand> = {
        var tree = CommandTree<ConsoleCommand>()
        tree.register(path: [.keyword("exit", help: "Leave configuration mode")], action: ConsoleCommand { session, _ in session.mode = .exec })
        tree.register(path: [.keyword("end", help: "Return to the top level")], action: ConsoleCommand { session, _ in session.mode = .exec })
        tree.register(path: [.keyword("ls", help: "List this section")], action: ConsoleCommand { session, _ in await session.write("checks/\n") })
        return tree
    }()

    static let checkID = "5a1a0c8e-6d5f-4b43-9b3c-2e4f2f1d9a10"
}
