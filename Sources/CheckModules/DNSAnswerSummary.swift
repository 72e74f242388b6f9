/// What a response says about the question asked, reduced to what the check reports.
struct DNSAnswerSummary: Hashable, Sendable {
    var responseCode: DNSResponseCode
    /// Answers of the asked type and class, as text, sorted.
    var answers: [String]
    /// The smallest TTL among those answers.
    var minimumTTL: Int32?
    /// Where the CNAME chain starting at the question's name ends, when there is one.
    var canonicalName: DNSName?
    /// The first SOA answer, when SOA was asked.
    var startOfAuthority: DNSStartOfAuthority?

    /// Follows the CNAME chain from the question's name through the answer section (each
    /// CNAME record used at most once, so a looping chain ends) and keeps the answers of the
    /// asked type owned by a name on that chain.
    init(message: DNSMessage, question: DNSQuestion) {
        responseCode = message.responseCode
        var chain = [question.name]
        var unused = message.answers.filter { $0.type == .cname && $0.recordClass == question.recordClass }
        while let index = unused.firstIndex(where: { $0.name.matches(chain[chain.count - 1]) }) {
            guard case .cname(let target) = unused.remove(at: index).data else { break }
            chain.append(target)
        }
        canonicalName = chain.count > 1 ? chain.last : nil
        let asked = message.answers.filter { record in
            record.type == question.type && record.recordClass == question.recordClass
                && chain.contains { $0.matches(record.name) }
        }
        answers = asked.map(\.data.presentation).sorted()
        minimumTTL = asked.map(\.effectiveTTL).min()
        startOfAuthority = asked.lazy.compactMap { record -> DNSStartOfAuthority? in
            if case .soa(let soa) = record.data { return soa }
            return nil
        }.first
    }
}
