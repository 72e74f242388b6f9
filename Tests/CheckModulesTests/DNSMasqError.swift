/// Why a test could not get a dnsmasq to talk to.
enum DNSMasqError: Error, CustomStringConvertible {
    case notInstalled
    case exited(log: String)
    case notAnswering(port: Int, log: String)

    var description: String {
        switch self {
        case .notInstalled:
            "dnsmasq is not installed: these tests need the Debian package dnsmasq (apt-get install -y dnsmasq)"
        case .exited(let log):
            "dnsmasq exited during startup: \(log)"
        case .notAnswering(let port, let log):
            "dnsmasq on 127.0.0.1:\(port) did not answer a query: \(log)"
        }
    }
}
