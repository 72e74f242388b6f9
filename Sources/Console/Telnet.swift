/// Telnet protocol constants (RFC 854 and the option RFCs), kept in one place so the
/// parser and the tests speak the same numbers.
public enum Telnet {
    public static let iac: UInt8 = 255
    public static let dont: UInt8 = 254
    public static let `do`: UInt8 = 253
    public static let wont: UInt8 = 252
    public static let will: UInt8 = 251
    public static let sb: UInt8 = 250
    public static let ga: UInt8 = 249
    public static let el: UInt8 = 248
    public static let ec: UInt8 = 247
    public static let ayt: UInt8 = 246
    public static let ao: UInt8 = 245
    public static let ip: UInt8 = 244
    public static let brk: UInt8 = 243
    public static let dm: UInt8 = 242
    public static let nop: UInt8 = 241
    public static let se: UInt8 = 240

    /// Option codes this console cares about.
    public enum Option {
        /// RFC 857: we echo, so the client must not.
        public static let echo: UInt8 = 1
        /// RFC 858: no go-aheads, i.e. character-at-a-time full duplex.
        public static let suppressGoAhead: UInt8 = 3
        /// RFC 1073: the client reports its window size.
        public static let naws: UInt8 = 31
    }
}
