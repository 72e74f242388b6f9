import NoitConfig
import Testing

@Suite("Filtersets")
struct FiltersetTests {
    @Test func firstMatchingRuleDecides() {
        let filterset = Filterset(name: "f", rules: [
            FiltersetRule(.allow, metric: "^tt_keep$"),
            FiltersetRule(.deny, metric: "^tt_"),
            FiltersetRule(.allow),
        ])
        #expect(filterset.allows(module: "http", checkName: "home", metric: "tt_keep"))
        #expect(!filterset.allows(module: "http", checkName: "home", metric: "tt_connect"))
        #expect(filterset.allows(module: "http", checkName: "home", metric: "code"))
    }

    @Test func noMatchingRuleAllows() {
        let filterset = Filterset(name: "f", rules: [FiltersetRule(.deny, module: "^ping$")])
        #expect(filterset.allows(module: "http", checkName: "home", metric: "code"))
        #expect(!filterset.allows(module: "ping", checkName: "home", metric: "code"))
        #expect(Filterset(name: "empty", rules: []).allows(module: "m", checkName: "n", metric: "x"))
    }

    @Test func everyPatternOfARuleMustMatch() {
        let rule = FiltersetRule(.deny, module: "^http$", name: "home", metric: "bytes")
        #expect(rule.matches(module: "http", checkName: "homepage", metric: "body_bytes"))
        #expect(!rule.matches(module: "https", checkName: "home", metric: "bytes"))
        #expect(!rule.matches(module: "http", checkName: "about", metric: "bytes"))
        #expect(!rule.matches(module: "http", checkName: "home", metric: "code"))
    }

    @Test func filtersetsAreLoadedInRuleOrder() throws {
        let configuration = try Fixtures.resolve("""
        <noit><filtersets>
          <filterset name="web">
            <rule type="deny" module="^http$" name="^home$" metric="^tt_"/>
            <rule type="allow"/>
          </filterset>
          <filterset name="none"/>
        </filtersets></noit>
        """)
        #expect(configuration.filtersets == [
            "web": Filterset(name: "web", rules: [
                FiltersetRule(.deny, module: "^http$", name: "^home$", metric: "^tt_"),
                FiltersetRule(.allow),
            ]),
            "none": Filterset(name: "none", rules: []),
        ])
        let web = try #require(configuration.filtersets["web"])
        #expect(!web.allows(module: "http", checkName: "home", metric: "tt_firstbyte"))
        #expect(web.allows(module: "http", checkName: "other", metric: "tt_firstbyte"))
    }
}
