// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "reconnoiter-swift",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "noitd", targets: ["noitd"]),
        .executable(name: "stratcond", targets: ["stratcond"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Outbound HTTP for alert hooks (PagerDuty, webhooks, Alertmanager): redirects, TLS,
        // timeouts and connection pooling that a hand-written NIO client would have to redo.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Command hooks: spawning, timeouts and reaping without blocking a cooperative thread.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        // libxml2 through pkg-config; `make` installs libxml2-dev when it is missing.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Value types shared by every part of the node: checks, metrics, result records.
        .target(name: "NoitCore"),
        .target(
            name: "NoitConfig",
            dependencies: [
                "NoitCore", "CLibXML2",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Journal",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Scheduler",
            dependencies: [
                "NoitCore", "EventLoopExecution",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "CheckModules",
            dependencies: [
                "NoitCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "NoitServer",
            dependencies: [
                "NoitCore", "NoitConfig", "Journal", "Scheduler", "CheckModules", "Console", "ConsoleServer", "Feed",
                "EventLoopExecution",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Tasks that run on a SwiftNIO event loop (a TaskExecutor), shared by the scheduler and the console.
        .target(
            name: "EventLoopExecution",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        // The node ↔ aggregator feed: frames, codec and both sides' protocol state machines, pure.
        .target(
            name: "Feed",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        // Detectors, pure: threshold, status, absence, a seasonal anomaly model, trend forecast.
        .target(name: "Detection", dependencies: ["NoitCore"]),
        // Alert notifications to hooks: payloads, retry policy, and the HTTP/command senders.
        .target(
            name: "AlertDelivery",
            dependencies: [
                "NoitCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system", condition: .when(platforms: [.linux])),
            ]
        ),
        // stratcond's alerting: rules, the evaluator, its tables, the outbox worker.
        .target(
            name: "Alerting",
            dependencies: [
                "Detection", "AlertDelivery", "NoitCore", "NoitConfig",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // stratcond's storage and feed clients: the archives in PostgreSQL, migrations, ingest.
        .target(
            name: "Stratcon",
            dependencies: [
                "NoitCore", "NoitConfig", "Feed", "EventLoopExecution", "Alerting", "AlertDelivery",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // stratcond's HTTP side: the JSON graph API, live events and the web UI's files.
        .target(
            name: "StratconAPI",
            dependencies: [
                "Stratcon", "NoitCore", "Alerting", "AlertDelivery", "Detection",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The console's protocol pieces, pure: telnet negotiation, line editor, command tree.
        .target(name: "Console"),
        // The console's transport: telnet sessions over NIO, login, limits, paging.
        .target(
            name: "ConsoleServer",
            dependencies: [
                "Console", "EventLoopExecution", "NoitCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "noitd",
            dependencies: [
                "NoitServer", "ConsoleServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "stratcond",
            dependencies: [
                "Stratcon", "StratconAPI", "NoitConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "NoitCoreTests", dependencies: ["NoitCore"]),
        .testTarget(name: "ConsoleTests", dependencies: ["Console"]),
        .testTarget(
            name: "StratconTests",
            dependencies: [
                "Stratcon", "StratconAPI", "NoitCore", "Feed", "NoitTestSupport", "Alerting", "AlertDelivery", "Detection",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "NoitCore"]),
        .testTarget(name: "AlertingTests", dependencies: ["Alerting", "AlertDelivery", "Detection", "NoitCore", "NoitConfig"]),
        .testTarget(
            name: "AlertDeliveryTests",
            dependencies: [
                "AlertDelivery", "NoitTestSupport", "NoitCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "FeedTests", dependencies: ["Feed", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(
            name: "ConsoleServerTests",
            dependencies: [
                "ConsoleServer", "Console", "NoitTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "NoitConfigTests", dependencies: ["NoitConfig", "NoitCore"]),
        .testTarget(
            name: "JournalTests",
            dependencies: ["Journal", "NoitCore", "NoitTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "SchedulerTests",
            dependencies: [
                "Scheduler", "NoitCore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Certificates and loopback servers shared by the tests; never linked into a product.
        .target(
            name: "NoitTestSupport",
            dependencies: [
                "NoitCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/NoitTestSupport"
        ),
        .testTarget(
            name: "CheckModulesTests",
            dependencies: [
                "CheckModules", "NoitTestSupport", "Scheduler", "NoitCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "NoitServerTests",
            dependencies: [
                "NoitServer", "NoitTestSupport", "Feed",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
