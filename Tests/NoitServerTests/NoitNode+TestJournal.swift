import Foundation
import Journal
import NoitCore
import NoitServer

extension NoitNode {
    /// Every record in the journal, read through a fresh subscriber named `reader`.
    func journalRecords(reader: String = "test-reader") throws -> [Record] {
        try journal.addSubscriber(reader, startingAt: .beginning)
        defer { try? journal.removeSubscriber(reader) }
        var records = [Record]()
        while true {
            let batch = try journal.readBatch(for: reader, maxRecords: 10_000, maxBytes: 1 << 22)
            guard let last = batch.lastSequence, !batch.records.isEmpty else { break }
            records += try batch.records.map { try Record(line: $0.payload) }
            try journal.advance(reader, to: last)
        }
        return records
    }
}
