// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "eventloom",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "eventloom", targets: ["eventloom"]),
        .library(name: "Domain", targets: ["Domain"]),
        .library(name: "EventStore", targets: ["EventStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // Swift code generated from schemas/ by scripts/gen-protos (committed).
        .target(
            name: "Schemas",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // Pure: events, commands, deciders. No IO.
        .target(
            name: "Domain",
            dependencies: ["Schemas", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .target(name: "DomainTesting", dependencies: ["Domain"]),
        // The NATS C client (apt: libnats-dev) and the Swift layer over it.
        .systemLibrary(name: "CNATS", pkgConfig: "libnats", providers: [.apt(["libnats-dev"])]),
        .target(name: "NATS", dependencies: ["CNATS", .product(name: "Logging", package: "swift-log")]),
        .target(name: "NATSTesting", dependencies: ["NATS"]),
        // hnswlib (apt: libhnswlib-dev, header-only) behind a plain C interface, and the Swift
        // layer over it. Built for the machine it runs on: hnswlib picks its SIMD kernels at
        // compile time.
        .target(
            name: "CHNSW",
            cxxSettings: [.unsafeFlags(["-O3", "-march=native"])]
        ),
        .target(name: "VectorIndex", dependencies: ["CHNSW", "Domain"]),
        .target(
            name: "EventStore",
            dependencies: [
                "Domain", "NATS", "Schemas",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.process("Resources/migrations")]
        ),
        .target(name: "EventStoreTesting", dependencies: ["EventStore", "Domain"]),
        .target(
            name: "Projections",
            dependencies: [
                "EventStore", "Domain", "VectorIndex",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "ProjectionsTesting", dependencies: ["Projections", "EventStoreTesting"]),
        // The write side of quotas: one batching writer per budget tree, snapshots.
        .target(
            name: "Quotas",
            dependencies: [
                "EventStore", "Domain", "Projections",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "API",
            dependencies: [
                "Projections", "EventStore", "Domain", "Quotas",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // Resources/schemas is a link to schemas/: the API serves schemas/openapi.yaml.
            exclude: ["Resources/schemas/eventloom"],
            resources: [.process("Resources/schemas")]
        ),
        .executableTarget(
            name: "eventloom",
            dependencies: [
                "API", "EventStore", "Domain", "Projections", "Quotas", "VectorIndex",
                "EventStoreTesting",   // bench: transactions held open beside the load
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),   // bench: HTTP clients
            ]
        ),
        .testTarget(
            name: "DomainTests",
            dependencies: ["Domain", "DomainTesting", "Schemas", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .testTarget(name: "NATSTests", dependencies: ["NATS", "NATSTesting"]),
        .testTarget(name: "VectorIndexTests", dependencies: ["VectorIndex", "Domain"]),
        .testTarget(name: "TextOracleTests", dependencies: ["Domain"]),   // git as the oracle of diff and merge
        .testTarget(
            name: "EventStoreTests",
            dependencies: [
                "EventStore", "EventStoreTesting", "NATSTesting", "Domain", "Schemas",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]),
        .testTarget(
            name: "QuotasTests",
            dependencies: ["Quotas", "EventStore", "EventStoreTesting", "Domain", "DomainTesting"]),
        .testTarget(
            name: "ProjectionsTests",
            dependencies: [
                "Projections", "ProjectionsTesting", "EventStore", "EventStoreTesting", "Domain",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "Projections", "ProjectionsTesting", "EventStore", "EventStoreTesting", "Domain", "DomainTesting", "NATSTesting",
                "Quotas", "VectorIndex",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
    ],
    cxxLanguageStandard: .cxx17
)
