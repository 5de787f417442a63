import Domain
import EventStore
import EventStoreTesting
import Foundation
import Logging
import NATSTesting
import Testing

/// `serve` and `project` need the master key that wrapped the stored subject keys, and say
/// so at start instead of failing at the first personal read.
@Suite struct MasterKeyStartTests {
    @Test(arguments: ["serve", "project"])
    func withoutAMasterKey_orWithAnotherOne_theProcessRefusesToStart_namingWhatIsMissing(command: String) async throws {
        try await TestDatabase.withDatabase { store, url in
            // A subject key wrapped by the suite's master key.
            _ = try await store.append(tenant: "acme", stream: "session-s1", expected: .any, events: [
                try NewEvent(SessionEvent.renamed(sessionID: "s1", title: "Alice", at: Date()), metadata: EventMetadata(dataSubject: "u1")),
            ])
            let port = ["--http-addr", "127.0.0.1:\(try FreePort.find())"]
            let arguments = [command, "--database-url", url] + (command == "serve" ? port : [])

            let keyless = try EventloomProcess(name: "\(command)-keyless", arguments: arguments, removing: ["EVENTLOOM_MASTER_KEY"])
            #expect(await keyless.exitStatus() != 0)
            try await waitUntil(timeout: .seconds(5), "the missing key named: \(keyless.lines.suffix(3))") {
                keyless.hasLogged("no master key: set EVENTLOOM_MASTER_KEY")
            }

            let other = MasterKey.generateText()
            let stranger = try EventloomProcess(name: "\(command)-stranger", arguments: arguments,
                                                environment: ["EVENTLOOM_MASTER_KEY": other])
            #expect(await stranger.exitStatus() != 0)
            try await waitUntil(timeout: .seconds(5), "the wrapping key named: \(stranger.lines.suffix(3))") {
                stranger.hasLogged("wrapped by master key \(TestDatabase.masterKey.id), which is not configured")
            }
        }
    }

    @Test func keysRotateMaster_wrapsTheKeysWithTheNewKey_whichAloneOpensThemAfterwards() async throws {
        try await TestDatabase.withDatabase { store, url in
            _ = try await store.append(tenant: "acme", stream: "session-s1", expected: .any, events: [
                try NewEvent(SessionEvent.renamed(sessionID: "s1", title: "Alice", at: Date()), metadata: EventMetadata(dataSubject: "u1")),
            ])
            let new = MasterKey.generateText()
            let rotation = try EventloomProcess(name: "rotate-master", arguments: ["keys", "rotate-master", "--database-url", url],
                                                environment: ["EVENTLOOM_MASTER_KEY": new,
                                                              "EVENTLOOM_MASTER_KEY_PREVIOUS": TestDatabase.masterKeyText])
            #expect(await rotation.exitStatus() == 0, "\(rotation.lines.suffix(3))")
            try await waitUntil(timeout: .seconds(5), "the count printed: \(rotation.lines.suffix(3))") {
                rotation.hasLogged("1 subject keys wrapped again with master key \(try MasterKey(base64: new).id)")
            }
            let rotated = EventStore(client: store.client, logger: Logger(label: "rotated"), keyring: SubjectKeyring(master: try MasterKey(base64: new)))
            try await rotated.checkMasterKeys()
            let events = try await rotated.revealPersonalData(try await store.readStream(tenant: "acme", stream: "session-s1"))
            #expect(events.first?.data.contains("Alice") == true)
        }
    }
}
