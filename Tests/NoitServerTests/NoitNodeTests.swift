import Foundation
import Journal
import NoitConfig
import NoitCore
import NoitTestSupport
import Synchronization
import Testing

@testable import NoitServer

@Suite("The assembled node")
struct NoitNodeTests {
    let selfcheckID = UUID(uuidString: "11111111-1111-4111-8111-111111111111")!
    let tcpID = UUID(uuidString: "22222222-2222-4222-8222-222222222222")!
    let otherID = UUID(uuidString: "33333333-3333-4333-8333-333333333333")!
    let addedID = UUID(uuidString: "44444444-4444-4444-8444-444444444444")!

    /// Runs the scheduler until `predicate` has seen what it wants from the result stream.
    func runUntil(_ node: NoitNode, _ predicate: @escaping @Sendable (ResultBroadcast.Observed) -> Bool) async throws {
        let results = node.results.subscribe()
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await node.scheduler.run() }
            for await observed in results where predicate(observed) { break }
            group.cancelAll()
        }
    }

    @Test("runs its configured checks and journals C, S and M records for them")
    func runsAndJournals() async throws {
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        let server = try await LoopbackServer(behavior: .silent)
        defer { Task { await server.close() } }
        try fixture.writeConfig(checks: """
            <check uuid="\(selfcheckID)" module="selfcheck"/>
            <check uuid="\(tcpID)" module="tcp" name="loop"><config><port>\(server.port)</port></config></check>
            """)
        let node = try fixture.makeNode()
        await node.start()
        // Until a good tcp result, not just the first one: the fixture's 500 ms timeout is
        // crossed by a run starved on a loaded machine, and the next period tries again.
        let seen = SeenChecks()
        try await runUntil(node) { observed in
            let id = observed.definition.uuid
            let counted = id != tcpID || observed.result.state == .good
            return counted && seen.insert(id) >= 2 && seen.contains(tcpID)
        }
        let entry = try #require(node.checks.entry(tcpID))
        let planned = try #require(entry.lastPlannedAt)
        let started = try #require(entry.lastRunAt)
        #expect(started >= planned)
        #expect(planned.millisecondsSinceEpoch % 1_000 == (await node.scheduler.nextRun(of: tcpID))!.millisecondsSinceEpoch % 1_000)
        let records = try node.journalRecords()
        let created = Set(records.compactMap { if case .check(_, let id, _, _, _) = $0 { id } else { nil } })
        #expect(created == [selfcheckID, tcpID])
        let statuses = records.compactMap { record -> (UUID, CheckState)? in
            if case .status(_, let id, let state, _, _, _) = record { return (id, state) }
            return nil
        }
        #expect(statuses.contains { $0.0 == tcpID && $0.1 == .good })
        #expect(statuses.contains { $0.0 == selfcheckID })
        #expect(records.contains { if case .metric(_, tcpID, let m) = $0 { m.name == "tt_connect" } else { false } })
        #expect(records.contains { if case .metric(_, selfcheckID, let m) = $0 { m.name == "checks" && m.value == .uint32(2) } else { false } })
    }

    @Test("reload applies only the difference and journals C and D records")
    func reloadAppliesDifference() async throws {
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        try fixture.writeConfig(checks: """
            <check uuid="\(selfcheckID)" module="selfcheck"/>
            <check uuid="\(tcpID)" module="tcp" name="a"><config><port>1</port></config></check>
            <check uuid="\(otherID)" module="tcp" name="b"><config><port>2</port></config></check>
            """)
        let node = try fixture.makeNode()
        await node.start()
        let untouchedNextRun = await node.scheduler.nextRun(of: selfcheckID)
        try fixture.writeConfig(checks: """
            <check uuid="\(selfcheckID)" module="selfcheck"/>
            <check uuid="\(otherID)" module="tcp" name="b" period="2000"><config><port>2</port></config></check>
            <check uuid="\(addedID)" module="tcp" name="c"><config><port>3</port></config></check>
            """)
        let changes = try await node.reload().get()
        #expect(changes.added.map(\.uuid) == [addedID])
        #expect(changes.changed.map(\.uuid) == [otherID])
        #expect(changes.removed == [tcpID])
        #expect(await node.scheduler.contains(tcpID) == false)
        #expect(await node.scheduler.contains(addedID))
        #expect(await node.scheduler.nextRun(of: selfcheckID) == untouchedNextRun)
        #expect(node.checks.definition(otherID)?.periodMilliseconds == 2_000)

        let records = try node.journalRecords()
        let afterBoot = records.dropFirst(3)
        #expect(afterBoot.contains { if case .delete(_, tcpID, "a") = $0 { true } else { false } })
        #expect(afterBoot.contains { if case .check(_, otherID, _, _, "b") = $0 { true } else { false } })
        #expect(afterBoot.contains { if case .check(_, addedID, _, _, "c") = $0 { true } else { false } })
        #expect(!afterBoot.contains { if case .check(_, selfcheckID, _, _, _) = $0 { true } else { false } })
    }

    @Test("a reload of a broken config is refused and the running checks stay")
    func brokenReloadRefused() async throws {
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        try fixture.writeConfig(checks: "<check uuid=\"\(selfcheckID)\" module=\"selfcheck\"/>")
        let node = try fixture.makeNode()
        await node.start()
        try "<noit><checks><check uuid=".write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
        let result = await node.reload()
        guard case .failure(let error) = result else {
            Issue.record("broken config was accepted")
            return
        }
        #expect(error.description.contains(fixture.configPath))
        #expect(await node.scheduler.contains(selfcheckID))
        #expect(node.checks.count == 1)
    }

    @Test("a node refuses to boot from an invalid config, naming file, line and element")
    func bootRefused() throws {
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        try fixture.writeConfig(checks: "<check uuid=\"\(selfcheckID)\" module=\"nosuchmodule\"/>")
        #expect {
            _ = try fixture.makeNode()
        } throws: { error in
            let text = "\(error)"
            return text.contains(fixture.configPath + ":") && text.contains("nosuchmodule") && text.contains("<check")
        }
    }

    @Test("an unknown module key in a check's config is refused with the key and what is allowed")
    func unknownKeyRefused() throws {
        let fixture = try NodeFixture()
        defer { fixture.remove() }
        try fixture.writeConfig(checks: """
            <check uuid="\(tcpID)" module="tcp"><config><port>22</port><prot>x</prot></config></check>
            """)
        #expect {
            _ = try fixture.makeNode()
        } throws: { error in
            "\(error)".contains("prot") && "\(error)".contains("banner_match")
        }
    }
}

/// Counts distinct checks seen by a result observer.
final class SeenChecks: Sendable {
    private let ids = Mutex<Set<UUID>>([])
    func insert(_ id: UUID) -> Int { ids.withLock { $0.insert(id); return $0.count } }
    func contains(_ id: UUID) -> Bool { ids.withLock { $0.contains(id) } }
}
