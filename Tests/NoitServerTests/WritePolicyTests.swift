import NoitConfig
import Testing

@testable import NoitServer

/// Who may change checks, pure: credentials in, a decision out.
@Suite struct WritePolicyTests {
    let tokens = [
        AccessSettings.APIToken(name: "deploy", digest: APIToken.digest(of: "noit_deploy-secret")),
        AccessSettings.APIToken(name: "ops", digest: APIToken.digest(of: "noit_ops-secret")),
    ]

    @Test func nothingConfiguredRefusesEveryone() {
        let policy = WritePolicy(allowedCommonNames: nil)
        guard case .refused(let status, let message) = policy.decide(authorization: "Bearer x", commonName: "ops", tokens: []) else {
            Issue.record("allowed without any credential configured")
            return
        }
        #expect(status == .forbidden)
        #expect(message.contains("--make-token"))
    }

    @Test func tokensByNameAndCertificatesByCN() {
        let policy = WritePolicy(allowedCommonNames: ["ops"])
        #expect(policy.decide(authorization: "Bearer noit_ops-secret", commonName: nil, tokens: tokens) == .allowed("token ops"))
        #expect(policy.decide(authorization: "bearer   noit_deploy-secret", commonName: nil, tokens: tokens) == .allowed("token deploy"))
        #expect(policy.decide(authorization: nil, commonName: "ops", tokens: tokens) == .allowed("cn=ops"))
        #expect(policy.decide(authorization: nil, commonName: "reader", tokens: tokens)
            == .refused(.forbidden, "client certificate CN 'reader' may not change checks"))
        #expect(policy.decide(authorization: nil, commonName: nil, tokens: tokens).isUnauthorized)
        #expect(policy.decide(authorization: "Bearer noit_wrong", commonName: "ops", tokens: tokens).isUnauthorized)
        #expect(policy.decide(authorization: "Basic b3BzOnNlY3JldA==", commonName: nil, tokens: tokens).isUnauthorized)
        #expect(policy.decide(authorization: "Bearer", commonName: nil, tokens: tokens).isUnauthorized)
    }

    @Test func madeTokensAreDistinctAndTheirHashParses() throws {
        let first = APIToken.make()
        let second = APIToken.make()
        #expect(first != second)
        #expect(first.hasPrefix("noit_") && first.count == 5 + 43)
        let digest = try #require(AccessSettings.digest(ofHashText: APIToken.hashText(of: first)))
        #expect(digest == APIToken.digest(of: first))
        #expect(APIToken.match(first, in: [AccessSettings.APIToken(name: "new", digest: digest)])?.name == "new")
        #expect(AccessSettings.digest(ofHashText: "sha256:xyz") == nil)
        #expect(AccessSettings.digest(ofHashText: first) == nil)
    }
}

extension WritePolicy.Decision {
    var isUnauthorized: Bool {
        if case .refused(.unauthorized, _) = self { return true }
        return false
    }
}
